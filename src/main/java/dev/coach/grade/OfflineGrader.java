package dev.coach.grade;

import dev.coach.bank.KeyNumber;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.bank.Trap;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Grades without a language model: each outline point is matched against the answer's sentences (and pairs of
 * sentences) by embedding similarity, figures are compared numerically with units and tolerance, traps are
 * matched the same way as points (a negated sentence does not commit a trap), and text addressed to the grader
 * is removed first. Analysis (the expensive part) is separate from the decision, so thresholds can be fitted.
 */
public final class OfflineGrader implements Grader {
    public static final String VERSION = "offline-1";
    private static final Pattern SPLIT = Pattern.compile("(?<=[.!?;])\\s+|\\n+|\\s+[-•]\\s+");
    private static final Pattern NEGATION = Pattern.compile("(?i)\\b(not|no|never|isn't|aren't|doesn't|don't|won't|can't|cannot|wrong|myth|misconception|mistake|rather than|instead of|unlike|contrary)\\b|n't\\b");
    private static final Set<String> FUNCTION_WORDS = Set.of("the", "a", "an", "is", "are", "was", "were", "be", "been", "it", "its",
            "this", "that", "these", "those", "of", "to", "in", "on", "for", "with", "by", "from", "as", "at", "so", "because",
            "which", "when", "while", "if", "then", "than", "and", "but", "or", "each", "every", "only", "can", "will", "would",
            "does", "do", "has", "have", "you", "we", "they", "i", "there", "into", "per", "more", "less", "not", "no", "how",
            "why", "what", "where", "means", "makes", "lets", "uses", "gets", "keeps");


    static final boolean PAIRS = !Boolean.getBoolean("coach.offline.noPairs");
    /**
     * Length counts only up to this many words: enough to tell a real answer from a fragment, not enough to reward
     * padding (the development set's strong answers are long, so an uncapped feature would learn "longer is better").
     */
    static final int LENGTH_CAP = Integer.getInteger("coach.offline.lengthCap", 60);
    private final Embedder embedder;
    private final OfflineParams params;

    public OfflineGrader(Embedder embedder, OfflineParams params) {
        this.embedder = embedder;
        this.params = params;
    }

    @Override
    public String name() {
        return "offline";
    }

    public Embedder embedder() {
        return embedder;
    }

    @Override
    public Grade grade(Question question, String answer) {
        return decide(analyze(Rubric.of(question), answer), params);
    }

    /** Everything measured about one answer, before thresholds are applied. */
    public record Analysis(Rubric rubric, List<String> units, double[] pointSim, int[] pointUnit, double[] trapSim, int[] trapUnit,
                           double[] trapMargin, List<FigureSeen> figures, double density, int words, double questionSim,
                           double[] sentenceBest, ManipulationCheck.Result manipulation) {
    }

    /** The features of the calibrated decision, in the order of {@link OfflineParams#weights()}. */
    public static final List<String> FEATURES = List.of("bias", "essential-mean", "essential-covered", "supporting-mean",
            "weakest-essential", "trap-similarity", "trap-margin", "wrong-figures", "right-figures", "function-words",
            "length", "question-similarity", "on-point-sentences");

    /** A figure in the answer: the closest bank figure of the same unit family, and how similar the sentence is to what it measures. */
    public record FigureSeen(String quote, Quantity value, KeyNumber closest, Quantity closestValue, double measureSim, boolean matchesAnyRubricFigure) {
    }

    public Analysis analyze(Rubric rubric, String answer) {
        ManipulationCheck.Result manipulation = ManipulationCheck.check(answer);
        String text = manipulation.cleaned();
        List<String> sentences = new ArrayList<>();
        for (String s : SPLIT.split(text)) {
            String t = s.strip();
            if (t.split("\\s+").length >= 3) {
                sentences.add(t);
            }
        }
        List<String> units = new ArrayList<>(sentences);
        for (int i = 0; PAIRS && i + 1 < sentences.size(); i++) {
            units.add(sentences.get(i) + " " + sentences.get(i + 1));
        }
        List<OutlinePoint> points = rubric.points();
        List<Trap> traps = rubric.traps();
        int words = text.isBlank() ? 0 : text.split("\\s+").length;
        double[] pointSim = new double[points.size()];
        int[] pointUnit = new int[points.size()];
        double[] trapSim = new double[traps.size()];
        double[] trapMargin = new double[traps.size()];
        java.util.Arrays.fill(trapMargin, -1);
        int[] trapUnit = new int[traps.size()];
        double questionSim = 0;
        double[] sentenceBest = new double[sentences.size()];
        java.util.Arrays.fill(pointUnit, -1);
        java.util.Arrays.fill(trapUnit, -1);
        List<FigureSeen> figures = new ArrayList<>();
        if (!units.isEmpty()) {
            // Only sentences go through the model; a pair of neighbouring sentences is scored with the normalised
            // sum of their vectors, which tracks the pair's own embedding closely at no extra cost.
            List<String> all = new ArrayList<>(sentences);
            points.forEach(p -> all.add(p.point()));
            traps.forEach(t -> all.add(t.mistake()));
            // what each bank figure measures is needed only when the answer states a number
            boolean hasNumbers = sentences.stream().anyMatch(x -> !Quantity.parse(x).isEmpty());
            if (hasNumbers) {
                rubric.numbers().forEach(n -> all.add(n.measures()));
            }
            all.add(rubric.question());
            List<float[]> v = new ArrayList<>(embedder.embed(all.subList(0, sentences.size())));
            v.addAll(embedder.embedKept(all.subList(sentences.size(), all.size())));
            int n = sentences.size();
            for (int i = 0; PAIRS && i + 1 < n; i++) {
                v.add(n + i, Embedder.normalisedSum(v.get(i), v.get(i + 1)));
            }
            int u = units.size();
            float[] centroid = new float[v.getFirst().length];
            for (int i = 0; i < sentences.size(); i++) {
                for (int d = 0; d < centroid.length; d++) {
                    centroid[d] += v.get(i)[d];
                }
            }
            double norm = 0;
            for (float c : centroid) {
                norm += c * c;
            }
            questionSim = norm == 0 ? 0 : Embedder.cosine(v.getLast(), centroid) / Math.sqrt(norm);
            for (int p = 0; p < points.size(); p++) {
                for (int i = 0; i < u; i++) {
                    double s = Embedder.cosine(v.get(i), v.get(u + p));
                    if (i < sentences.size()) {
                        sentenceBest[i] = Math.max(sentenceBest[i], s);
                    }
                    if (s > pointSim[p]) {
                        pointSim[p] = s;
                        pointUnit[p] = i;
                    }
                }
            }
            for (int t = 0; t < traps.size(); t++) {
                float[] tv = v.get(u + points.size() + t);
                boolean trapNegated = NEGATION.matcher(traps.get(t).mistake()).find();
                for (int i = 0; i < sentences.size(); i++) {
                    if (!trapNegated && NEGATION.matcher(units.get(i)).find()) {
                        continue;
                    }
                    double s = Embedder.cosine(v.get(i), tv);
                    double bestPoint = 0;
                    for (int p = 0; p < points.size(); p++) {
                        bestPoint = Math.max(bestPoint, Embedder.cosine(v.get(i), v.get(u + p)));
                    }
                    if (s > trapSim[t]) {
                        trapSim[t] = s;
                        trapUnit[t] = i;
                    }
                    trapMargin[t] = Math.max(trapMargin[t], s - bestPoint);
                }
            }
            if (hasNumbers) {
                figures = figures(rubric, sentences, v, u + points.size() + traps.size());
            }
        }
        return new Analysis(rubric, units, pointSim, pointUnit, trapSim, trapUnit, trapMargin, figures, density(text), words, questionSim,
                sentenceBest, manipulation);
    }

    private List<FigureSeen> figures(Rubric rubric, List<String> sentences, List<float[]> v, int measuresStart) {
        List<FigureSeen> out = new ArrayList<>();
        List<Quantity> known = new ArrayList<>();
        rubric.points().forEach(p -> known.addAll(Quantity.parse(p.point())));
        rubric.numbers().forEach(n -> known.addAll(Quantity.parse(n.figure())));
        for (int i = 0; i < sentences.size(); i++) {
            for (Quantity q : Quantity.parse(sentences.get(i))) {
                boolean matches = known.stream().anyMatch(k -> k.near(q, 0.12));
                KeyNumber best = null;
                Quantity bestValue = null;
                double bestSim = 0;
                for (int n = 0; n < rubric.numbers().size(); n++) {
                    KeyNumber kn = rubric.numbers().get(n);
                    for (Quantity kq : Quantity.parse(kn.figure())) {
                        if (kq.family() != q.family() || (q.family() == Quantity.Family.COUNT && !kq.unit().equals(q.unit()))) {
                            continue;
                        }
                        double s = Embedder.cosine(v.get(i), v.get(measuresStart + n));
                        if (s > bestSim) {
                            bestSim = s;
                            best = kn;
                            bestValue = kq;
                        }
                    }
                }
                out.add(new FigureSeen(q.text(), q, best, bestValue, bestSim, matches));
            }
        }
        return out;
    }

    static double density(String text) {
        String[] ws = text.toLowerCase(Locale.ROOT).split("[^a-z']+");
        int total = 0;
        int function = 0;
        for (String w : ws) {
            if (w.isEmpty()) {
                continue;
            }
            total++;
            if (FUNCTION_WORDS.contains(w)) {
                function++;
            }
        }
        return total == 0 ? 0 : (double) function / total;
    }

    /** The feature vector of an analysis (see {@link #FEATURES}). */
    public double[] features(Analysis a, OfflineParams p) {
        Rubric r = a.rubric();
        int nEss = r.essential().size();
        int nAll = r.points().size();
        double essMean = 0;
        double essCovered = 0;
        double weakest = nEss == 0 ? 0 : 1;
        double supMean = 0;
        for (int i = 0; i < nAll; i++) {
            double s = a.pointSim()[i];
            if (i < nEss) {
                essMean += s;
                essCovered += s >= p.point() ? 1 : 0;
                weakest = Math.min(weakest, s);
            } else {
                supMean += s;
            }
        }
        essMean = nEss == 0 ? 0 : essMean / nEss;
        essCovered = nEss == 0 ? 0 : essCovered / nEss;
        supMean = nAll == nEss ? essMean : supMean / (nAll - nEss);
        double trapMax = 0;
        double marginMax = -1;
        for (int t = 0; t < r.traps().size(); t++) {
            trapMax = Math.max(trapMax, a.trapSim()[t]);
            marginMax = Math.max(marginMax, a.trapMargin()[t]);
        }
        int wrong = 0;
        int right = 0;
        for (FigureSeen f : a.figures()) {
            if (f.matchesAnyRubricFigure()) {
                right++;
            } else if (wrongFigure(f, p)) {
                wrong++;
            }
        }
        return new double[] {1, essMean, essCovered, supMean, weakest, trapMax, marginMax, Math.min(2, wrong), Math.min(3, right) / 3.0,
                a.density(), Math.log1p(Math.min(a.words(), LENGTH_CAP)) / Math.log1p(LENGTH_CAP), a.questionSim(), onPoint(a, p)};
    }

    /** Sentences that make some outline point (capped): elaboration that is on the rubric, unlike raw length. */
    static double onPoint(Analysis a, OfflineParams p) {
        int n = 0;
        for (double s : a.sentenceBest()) {
            if (s >= ON_POINT) {
                n++;
            }
        }
        return Math.min(n, ON_POINT_CAP) / (double) ON_POINT_CAP;
    }

    static final double ON_POINT = Double.parseDouble(System.getProperty("coach.offline.onPoint", "0.72"));
    static final int ON_POINT_CAP = Integer.getInteger("coach.offline.onPointCap", 6);

    private static boolean wrongFigure(FigureSeen f, OfflineParams p) {
        if (f.matchesAnyRubricFigure() || f.closest() == null || !f.value().checkable() || f.measureSim() < p.measure()
                || f.value().near(f.closestValue(), 0.3)) {
            return false;
        }
        // a hundredfold difference means a different quantity (an element size next to a total), not a wrong one
        double a = Math.abs(f.value().value());
        double b = Math.abs(f.closestValue().value());
        return Math.max(a, b) <= 100 * Math.max(1e-12, Math.min(a, b));
    }

    /** The calibrated model's raw prediction, before the cut-points turn it into 0, 1 or 2. */
    public double predict(Analysis a, OfflineParams p) {
        double[] x = features(a, p);
        double y = 0;
        for (int i = 0; i < x.length; i++) {
            y += p.weights()[i] * x[i];
        }
        return y;
    }

    /** Applies the calibrated model to an analysis: the whole of the 0/1/2 decision, plus the reasons for feedback. */
    public Grade decide(Analysis a, OfflineParams p) {
        Rubric r = a.rubric();
        List<OutlinePoint> points = r.points();
        List<String> covered = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        Set<String> evidence = new LinkedHashSet<>();
        for (int i = 0; i < points.size(); i++) {
            if (a.pointSim()[i] >= p.point()) {
                covered.add(points.get(i).id());
                if (a.pointUnit()[i] >= 0) {
                    evidence.add(quote(a.units().get(a.pointUnit()[i])));
                }
            } else {
                missed.add(points.get(i).id());
            }
        }
        List<TrapHit> traps = new ArrayList<>();
        for (int t = 0; t < r.traps().size(); t++) {
            if (a.trapSim()[t] >= p.trap() && a.trapMargin()[t] >= p.trapMargin() && a.trapUnit()[t] >= 0) {
                traps.add(new TrapHit(t + 1, r.traps().get(t).mistake(), quote(a.units().get(a.trapUnit()[t]))));
            }
        }
        List<FigureCheck> figures = new ArrayList<>();
        for (FigureSeen f : a.figures()) {
            if (f.matchesAnyRubricFigure()) {
                figures.add(new FigureCheck(f.quote(), true, f.closest() == null ? null : f.closest().figure()));
            } else if (wrongFigure(f, p)) {
                figures.add(new FigureCheck(f.quote(), false, f.closest().figure() + " (" + f.closest().measures() + ")"));
            }
        }
        double y = predict(a, p);
        int score = a.words() < 5 ? 0 : y >= p.cut2() ? 2 : y >= p.cut1() ? 1 : 0;
        boolean thin = a.words() >= 5 && score == 0 && a.density() < 0.2;
        String feedback = feedback(r, score, missed, traps, figures, thin, a);
        return new Grade(r.questionId(), score, covered, missed, figures, traps, List.copyOf(evidence).subList(0, Math.min(3, evidence.size())),
                feedback, "offline", embedder.name(), VERSION, a.manipulation().flagged(), List.of());
    }

    private static String feedback(Rubric r, int score, List<String> missed, List<TrapHit> traps, List<FigureCheck> figures,
                                   boolean stuffing, Analysis a) {
        List<String> parts = new ArrayList<>();
        if (a.words() < 5) {
            parts.add("The answer is too short to grade; explain the mechanism in a few sentences.");
        } else if (stuffing) {
            parts.add("The answer names terms without explaining them; say how each one works and why it matters.");
        }
        List<OutlinePoint> missedEssential = r.essential().stream().filter(pt -> missed.contains(pt.id())).toList();
        if (!missedEssential.isEmpty() && a.words() >= 5) {
            parts.add("Missing: " + missedEssential.stream().map(pt -> firstClause(pt.point()))
                    .reduce((x, y) -> x + "; " + y).orElse("") + ".");
        }
        for (TrapHit t : traps) {
            parts.add("Trap: " + t.mistake() + " " + r.traps().get(t.index() - 1).why());
        }
        for (FigureCheck f : figures) {
            if (!f.correct()) {
                parts.add("Check the figure '" + f.quote() + "': the bank has " + f.expected() + ".");
            }
        }
        if (a.manipulation().flagged()) {
            parts.add("Text addressed to the grader was ignored; only the answer itself counts.");
        }
        if (parts.isEmpty()) {
            parts.add(switch (score) {
                case 2 -> "Strong: the essential points are there.";
                case 1 -> "The essential points are touched on but not developed; explain each mechanism, its consequence and the numbers "
                        + "behind it, as a senior interviewer would expect.";
                default -> "The answer does not make the question's essential points; see the outline with 'coach bank show " + r.questionId() + "'.";
            });
        }
        return String.join(" ", parts);
    }

    private static String firstClause(String s) {
        String t = s.split("(?<=[.;:])\\s")[0].replaceAll("[.;:]$", "");
        return t.length() > 140 ? t.substring(0, 139) + "…" : t;
    }

    private static String quote(String s) {
        return s.length() > 120 ? s.substring(0, 119) + "…" : s;
    }

}
