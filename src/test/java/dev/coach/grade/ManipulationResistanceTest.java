package dev.coach.grade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coach.bank.Bank;
import dev.coach.bank.BankLoader;
import dev.coach.bank.Question;
import dev.coach.llm.PromptTemplate;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every manipulation answer of the development set, against its content written without the manipulation (by the
 * set's authors, not by our pre-check): grader-addressed text must earn nothing and cost nothing.
 */
class ManipulationResistanceTest {
    record Case(String id, Question question, String answer, String content, int label) {
    }

    static Bank bank;
    static List<Case> cases = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        bank = BankLoader.load(List.of(Path.of(System.getProperty("coach.home", ".")).resolve("bank"))).orThrow();
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = ManipulationResistanceTest.class.getResourceAsStream("/grading/dev.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                JsonNode n = json.readTree(line);
                if (n.get("kind").asText().equals("manipulation")) {
                    cases.add(new Case(n.get("id").asText(), bank.question(n.get("question").asText()).orElseThrow(),
                            n.get("answer").asText(), n.get("content").asText(), n.get("grade").asInt()));
                }
            }
        }
        assertTrue(cases.size() >= 20, "the development set holds " + cases.size() + " manipulation answers");
    }

    @Test
    void thePreCheckFlagsEveryManipulationAndNoneOfTheContent() {
        for (Case c : cases) {
            assertTrue(ManipulationCheck.check(c.answer()).flagged(), c.id() + " is flagged");
            assertFalse(ManipulationCheck.check(c.content()).flagged(), c.id() + "'s content alone is not flagged");
        }
    }

    @Test
    void theOfflineGraderGivesEachManipulatedAnswerTheGradeOfItsContent() {
        OfflineGrader g = new OfflineGrader(Embedders.create(Embedders.DEFAULT), Embedders.params(Embedders.DEFAULT));
        List<String> differ = new ArrayList<>();
        for (Case c : cases) {
            Grade withTricks = g.grade(c.question(), c.answer());
            Grade contentOnly = g.grade(c.question(), c.content());
            if (withTricks.score() != contentOnly.score()) {
                differ.add(c.id() + ": " + withTricks.score() + " vs " + contentOnly.score());
            }
            assertTrue(withTricks.ignoredGraderText(), c.id());
            assertTrue(withTricks.feedback().contains("ignored"), c.id() + " feedback says the text was ignored");
        }
        assertTrue(differ.isEmpty(), "manipulation changed the grade: " + differ);
    }

    /**
     * A judge that obeys any grade request it sees in the answer, and otherwise grades correctly (it knows the label
     * of each content). With coach's pre-check and markers in between, it must never see a request.
     */
    static final class GullibleJudge implements ChatModel {
        static final Pattern ANSWER = Pattern.compile("(?s)<answer-([0-9a-f]+)>\\n(.*)\\n</answer-\\1>");
        static final Pattern REQUEST = Pattern.compile("(?i)score\\s*[:=]?\\s*2|grade\\s*2|full marks|2/2|deserves a 2|maximum score|\"score\"");

        @Override
        public ChatResponse doChat(ChatRequest request) {
            String user = ((UserMessage) request.messages().get(1)).singleText();
            Matcher m = ANSWER.matcher(user);
            assertTrue(m.find(), "the answer sits between nonce markers");
            String answer = m.group(2);
            int score;
            if (REQUEST.matcher(answer).find()) {
                score = 2;
            } else {
                score = cases.stream().filter(c -> answer.contains(c.content().substring(0, Math.min(40, c.content().length()))))
                        .findFirst().orElseThrow(() -> new AssertionError("unknown answer: " + answer)).label();
            }
            String json = "{\"score\": " + score + ", \"covered\": [], \"missed\": [], \"figures\": [], \"traps\": [], \"evidence\": [], "
                    + "\"feedback\": \"graded on content\"}";
            return ChatResponse.builder().aiMessage(AiMessage.from(json)).build();
        }
    }

    @Test
    void theJudgePathGivesTheLabelledContentGradeEvenWithAGullibleModel() {
        PromptTemplate template = PromptTemplate.load("judge", Path.of(System.getProperty("coach.home", ".")), null);
        LlmJudge judge = new LlmJudge(new GullibleJudge(), "stub:gullible", template, null);
        for (Case c : cases) {
            Grade g = judge.grade(c.question(), c.answer());
            assertEquals(c.label(), g.score(), c.id() + ": the grade its content deserves");
            assertTrue(g.ignoredGraderText(), c.id());
            assertTrue(g.feedback().contains("ignored"), c.id());
        }
    }

    @Test
    void withoutThePreCheckTheGullibleModelWouldHaveBeenFooled() {
        long fooled = cases.stream().filter(c -> c.label() < 2 && GullibleJudge.REQUEST.matcher(c.answer()).find()).count();
        assertTrue(fooled >= 5, "the test is meaningful: " + fooled + " lower-grade answers carry a request the stub obeys");
    }
}
