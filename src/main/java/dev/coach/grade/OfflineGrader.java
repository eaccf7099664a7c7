package dev.coach.grade;

import dev.coach.bank.KeyNumber;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.bank.Trap;

import java.util.ArrayList;
import java.util.Comparator;
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

    /** Calibrated on the development set's calibration split with bge-small-en-v1.5 (see docs/GRADING.md). */
    public static final OfflineParams DEFAULT = new OfflineParams(0.55, 0.80, 0.60, 0.30, 0.78, 0.60, 0.18);

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
                           List<FigureSeen> figures, double density, int words, ManipulationCheck.Result manipulation) {
    }

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
        for (int i = 0; i + 1 < sentences.size(); i++) {
            units.add(sentences.get(i) + " " + sentences.get(i + 1));
        }
        List<OutlinePoint> points = rubric.points();
        List<Trap> traps = rubric.traps();
        int words = text.isBlank() ? 0 : text.split("\\s+").length;
        double[] pointSim = new double[points.size()];
        int[] pointUnit = new int[points.size()];
        double[] trapSim = new double[traps.size()];
        int[] trapUnit = new int[traps.size()];
        java.util.Arrays.fill(pointUnit, -1);
        java.util.Arrays.fill(trapUnit, -1);
        List<FigureSeen> figures = new ArrayList<>();
        if (!units.isEmpty()) {
            List<String> all = new ArrayList<>(units);
            points.forEach(p -> all.add(p.point()));
            traps.forEach(t -> all.add(t.mistake()));
            rubric.numbers().forEach(n -> all.add(n.measures()));
            List<float[]> v = embedder.embed(all);
            int u = units.size();
            for (int p = 0; p < points.size(); p++) {
                for (int i = 0; i < u; i++) {
                    double s = Embedder.cosine(v.get(i), v.get(u + p));
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
                    if (s > trapSim[t]) {
                        trapSim[t] = s;
                        trapUnit[t] = i;
                    }
                }
            }
            figures = figures(rubric, sentences, v, u + points.size() + traps.size());
        }
        return new Analysis(rubric, units, pointSim, pointUnit, trapSim, trapUnit, figures, density(text), words, manipulation);
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

    /** Applies thresholds to an analysis: the whole of the 0/1/2 decision. */
    public Grade decide(Analysis a, OfflineParams p) {
        Rubric r = a.rubric();
        List<OutlinePoint> points = r.points();
        int nEss = r.essential().size();
        double ess = 0;
        double sup = 0;
        List<String> covered = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        Set<String> evidence = new LinkedHashSet<>();
        for (int i = 0; i < points.size(); i++) {
            double c = Math.max(0, Math.min(1, (a.pointSim()[i] - p.lo()) / (p.hi() - p.lo())));
            if (i < nEss) {
                ess += c;
            } else {
                sup += c;
            }
            if (c >= 0.5) {
                covered.add(points.get(i).id());
                if (a.pointUnit()[i] >= 0) {
                    evidence.add(quote(a.units().get(a.pointUnit()[i])));
                }
            } else {
                missed.add(points.get(i).id());
            }
        }
        double essential = nEss == 0 ? 0 : ess / nEss;
        double supporting = points.size() == nEss ? essential : sup / (points.size() - nEss);
        double coverage = 0.8 * essential + 0.2 * supporting;
        List<TrapHit> traps = new ArrayList<>();
        for (int t = 0; t < r.traps().size(); t++) {
            if (a.trapSim()[t] >= p.trap() && a.trapUnit()[t] >= 0) {
                traps.add(new TrapHit(t + 1, r.traps().get(t).mistake(), quote(a.units().get(a.trapUnit()[t]))));
            }
        }
        List<FigureCheck> figures = new ArrayList<>();
        int wrongFigures = 0;
        for (FigureSeen f : a.figures()) {
            if (f.matchesAnyRubricFigure()) {
                figures.add(new FigureCheck(f.quote(), true, f.closest() == null ? null : f.closest().figure()));
            } else if (f.closest() != null && f.value().checkable() && f.measureSim() >= p.measure() && !f.value().near(f.closestValue(), 0.3)) {
                figures.add(new FigureCheck(f.quote(), false, f.closest().figure() + " (" + f.closest().measures() + ")"));
                wrongFigures++;
            }
        }
        boolean stuffing = a.words() >= 6 && a.density() < p.density();
        int score;
        if (a.words() < 5 || stuffing) {
            score = 0;
        } else if (coverage >= p.strong()) {
            score = 2;
        } else if (coverage >= p.partial()) {
            score = 1;
        } else {
            score = 0;
        }
        int errors = traps.size() + wrongFigures;
        if (errors > 0 && score == 2) {
            score = 1;
        }
        if (errors >= 2 && coverage < p.strong()) {
            score = 0;
        }
        String feedback = feedback(r, score, missed, traps, figures, stuffing, a);
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
            parts.add(score == 2 ? "Strong: the essential points are there." : "Develop the essential points further.");
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

    /** Orders points by how well the answer made them, for reports. */
    static Comparator<Integer> bySimilarity(double[] sims) {
        return Comparator.comparingDouble(i -> -sims[i]);
    }
}
