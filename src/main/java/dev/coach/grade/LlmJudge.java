package dev.coach.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.bank.KeyNumber;
import dev.coach.bank.OutlinePoint;
import dev.coach.bank.Question;
import dev.coach.llm.BackendException;
import dev.coach.llm.PromptTemplate;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The LLM-as-judge: renders the judge prompt from the rubric, sends the answer inside markers carrying a fresh
 * random nonce, asks for JSON matching a schema at temperature 0, validates the reply (score 0-2, known point
 * ids, trap numbers in range), asks once for a repair, and otherwise returns the fallback grader's grade with
 * a visible warning. Text the pre-check flags as addressed to the grader never reaches the model.
 */
public final class LlmJudge implements Grader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ChatModel model;
    private final String name;
    private final PromptTemplate template;
    private final Grader fallback;
    private final Supplier<String> nonces;

    /**
     * @param fallback the grader used when the judge fails or answers invalidly twice; null to fail with a
     *                 {@link BackendException} instead
     */
    public LlmJudge(ChatModel model, String name, PromptTemplate template, Grader fallback, Supplier<String> nonces) {
        this.model = model;
        this.name = name;
        this.template = template;
        this.fallback = fallback;
        this.nonces = nonces;
    }

    public LlmJudge(ChatModel model, String name, PromptTemplate template, Grader fallback) {
        this(model, name, template, fallback, LlmJudge::randomNonce);
    }

    static String randomNonce() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String name() {
        return name;
    }

    public String promptVersion() {
        return template.version();
    }

    @Override
    public Grade grade(Question question, String answer) {
        Rubric rubric = Rubric.of(question);
        ManipulationCheck.Result pre = ManipulationCheck.check(answer);
        String nonce = nonces.get();
        String[] prompt = template.render(values(rubric, pre, answer, nonce));
        List<ChatMessage> messages = new ArrayList<>(List.of(SystemMessage.from(prompt[0]), UserMessage.from(prompt[1])));
        String failure;
        try {
            String reply = ask(messages, rubric);
            Parsed first = parse(reply, rubric);
            if (first.errors().isEmpty()) {
                return finish(first, rubric, pre, List.of());
            }
            messages.add(AiMessage.from(reply));
            messages.add(UserMessage.from("That reply is not valid: " + String.join("; ", first.errors())
                    + ". Reply again with only the corrected JSON object."));
            String second = ask(messages, rubric);
            Parsed repaired = parse(second, rubric);
            if (repaired.errors().isEmpty()) {
                return finish(repaired, rubric, pre, List.of("the judge's first reply was invalid (" + String.join("; ", first.errors())
                        + ") and was repaired"));
            }
            failure = "the judge's reply was invalid twice (" + String.join("; ", repaired.errors()) + ")";
        } catch (RuntimeException e) {
            failure = "the " + name + " judge failed: " + describe(e);
        }
        if (fallback == null) {
            throw new BackendException(failure);
        }
        return fallback.grade(question, answer).withWarning(failure + "; this is the " + fallback.name() + " grade instead");
    }

    private String ask(List<ChatMessage> messages, Rubric rubric) {
        ChatRequest request = ChatRequest.builder()
                .messages(messages)
                .temperature(0.0)
                .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema(rubric)).build())
                .build();
        AiMessage reply = model.chat(request).aiMessage();
        return reply == null || reply.text() == null ? "" : reply.text();
    }

    /** The JSON schema every judge reply must follow, with the rubric's point ids as the allowed values. */
    public static JsonSchema schema(Rubric rubric) {
        List<String> ids = rubric.points().stream().map(OutlinePoint::id).toList();
        JsonObjectSchema figure = JsonObjectSchema.builder()
                .addProperty("quote", JsonStringSchema.builder().build())
                .addProperty("correct", JsonBooleanSchema.builder().build())
                .required("quote", "correct").additionalProperties(false).build();
        JsonObjectSchema root = JsonObjectSchema.builder()
                .addProperty("score", JsonIntegerSchema.builder().description("0, 1 or 2").build())
                .addProperty("covered", JsonArraySchema.builder().items(JsonEnumSchema.builder().enumValues(ids).build()).build())
                .addProperty("missed", JsonArraySchema.builder().items(JsonEnumSchema.builder().enumValues(ids).build()).build())
                .addProperty("figures", JsonArraySchema.builder().items(figure).build())
                .addProperty("traps", JsonArraySchema.builder().items(JsonIntegerSchema.builder().build()).build())
                .addProperty("evidence", JsonArraySchema.builder().items(JsonStringSchema.builder().build()).build())
                .addProperty("feedback", JsonStringSchema.builder().build())
                .required("score", "covered", "missed", "figures", "traps", "evidence", "feedback")
                .additionalProperties(false)
                .build();
        return JsonSchema.builder().name("grade").rootElement(root).build();
    }

    private Map<String, String> values(Rubric r, ManipulationCheck.Result pre, String answer, String nonce) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("question_id", r.questionId());
        v.put("question", r.question());
        v.put("essential", points(r.essential()));
        v.put("supporting", points(r.supporting()));
        v.put("numbers", r.numbers().isEmpty() ? "- none" : String.join("\n", r.numbers().stream()
                .map((KeyNumber n) -> "- " + n.figure() + ": " + n.measures()).toList()));
        List<String> traps = new ArrayList<>();
        for (int i = 0; i < r.traps().size(); i++) {
            traps.add((i + 1) + ". " + r.traps().get(i).mistake() + " (" + r.traps().get(i).why() + ")");
        }
        v.put("traps", traps.isEmpty() ? "- none" : String.join("\n", traps));
        v.put("precheck", pre.flagged()
                ? "\nNote: coach's pre-check removed " + pre.removed().size() + " passage(s) addressed to the grader; they are marked in the answer.\n"
                : "");
        v.put("nonce", nonce);
        v.put("answer", shown(answer, pre));
        return v;
    }

    /** The answer as the judge sees it: flagged passages replaced by a marker, and our markers defused. */
    static String shown(String answer, ManipulationCheck.Result pre) {
        String text = answer == null ? "" : answer;
        for (String removed : pre.removed()) {
            text = text.replace(removed, "[removed by coach: text addressed to the grader]");
        }
        return text.replaceAll("(?i)</?\\s*answer-", "[answer-");
    }

    private static String points(List<OutlinePoint> ps) {
        return ps.isEmpty() ? "- none" : String.join("\n", ps.stream().map(p -> "- " + p.id() + ": " + p.point()).toList());
    }

    record Parsed(int score, List<String> covered, List<String> missed, List<FigureCheck> figures, List<Integer> traps,
                  List<String> evidence, String feedback, List<String> errors) {
    }

    static Parsed parse(String reply, Rubric rubric) {
        List<String> errors = new ArrayList<>();
        String text = reply == null ? "" : reply.strip();
        int open = text.indexOf('{');
        int close = text.lastIndexOf('}');
        if (open < 0 || close <= open) {
            return new Parsed(0, List.of(), List.of(), List.of(), List.of(), List.of(), "", List.of("no JSON object in the reply"));
        }
        JsonNode root;
        try {
            root = JSON.readTree(text.substring(open, close + 1));
        } catch (Exception e) {
            return new Parsed(0, List.of(), List.of(), List.of(), List.of(), List.of(), "", List.of("the JSON does not parse"));
        }
        int score = -1;
        JsonNode s = root.get("score");
        if (s == null || !s.isIntegralNumber()) {
            errors.add("\"score\" must be the integer 0, 1 or 2");
        } else if (s.asInt() < 0 || s.asInt() > 2) {
            errors.add("\"score\" is " + s.asInt() + " but must be 0, 1 or 2");
        } else {
            score = s.asInt();
        }
        List<String> covered = ids(root, "covered", rubric, errors);
        List<String> missed = ids(root, "missed", rubric, errors);
        List<Integer> traps = new ArrayList<>();
        JsonNode t = root.get("traps");
        if (t != null && t.isArray()) {
            for (JsonNode n : t) {
                if (!n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > rubric.traps().size()) {
                    errors.add("trap " + n + " is not one of 1.." + rubric.traps().size());
                } else {
                    traps.add(n.asInt());
                }
            }
        } else if (t != null) {
            errors.add("\"traps\" must be a list of trap numbers");
        }
        List<FigureCheck> figures = new ArrayList<>();
        JsonNode f = root.get("figures");
        if (f != null && f.isArray()) {
            for (JsonNode n : f) {
                if (n.hasNonNull("quote") && n.has("correct") && n.get("correct").isBoolean()) {
                    figures.add(new FigureCheck(n.get("quote").asText(), n.get("correct").asBoolean(), null));
                } else {
                    errors.add("each figure needs \"quote\" and a boolean \"correct\"");
                }
            }
        }
        List<String> evidence = new ArrayList<>();
        JsonNode ev = root.get("evidence");
        if (ev != null && ev.isArray()) {
            ev.forEach(n -> evidence.add(n.asText()));
        }
        JsonNode fb = root.get("feedback");
        String feedback = fb == null ? "" : fb.asText("");
        if (feedback.isBlank()) {
            errors.add("\"feedback\" is missing");
        }
        return new Parsed(score, covered, missed, figures, traps, evidence, feedback, errors);
    }

    private static List<String> ids(JsonNode root, String field, Rubric rubric, List<String> errors) {
        List<String> out = new ArrayList<>();
        JsonNode n = root.get(field);
        if (n == null || !n.isArray()) {
            errors.add("\"" + field + "\" must be a list of outline point ids");
            return out;
        }
        for (JsonNode id : n) {
            if (rubric.hasPoint(id.asText())) {
                out.add(id.asText());
            } else {
                errors.add("\"" + id.asText() + "\" in \"" + field + "\" is not an outline point id (use: "
                        + String.join(", ", rubric.points().stream().map(OutlinePoint::id).toList()) + ")");
            }
        }
        return out;
    }

    private Grade finish(Parsed p, Rubric r, ManipulationCheck.Result pre, List<String> warnings) {
        List<TrapHit> traps = p.traps().stream().map(i -> new TrapHit(i, r.traps().get(i - 1).mistake(), "")).toList();
        String feedback = p.feedback();
        if (pre.flagged() && !feedback.toLowerCase().contains("ignored")) {
            feedback = feedback + " Text addressed to the grader was ignored; only the answer itself counts.";
        }
        return new Grade(r.questionId(), p.score(), p.covered(), p.missed(), p.figures(), traps,
                p.evidence().subList(0, Math.min(3, p.evidence().size())), feedback, "llm", name, template.version(), pre.flagged(), warnings);
    }

    private static String describe(RuntimeException e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + (m.length() > 300 ? m.substring(0, 300) + "…" : m);
    }
}
