package dev.coach.grade;

import dev.coach.bank.Bank;
import dev.coach.bank.BankLoader;
import dev.coach.llm.PromptTemplate;
import dev.coach.testing.BankFixtures;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The judge prompt keeps everything that changes from call to call (the marker tag and the answer) at its end, so a
 * local model that reuses the cache of its previous prompt feeds only that end again: the whole system part for
 * every answer, and the rubric too for answers to the same question.
 */
class JudgePromptPrefixTest {
    @TempDir
    Path dir;

    /** Records what it is asked and returns a valid grade. */
    static final class Recorder implements ChatModel {
        final List<ChatRequest> requests = new ArrayList<>();

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            return ChatResponse.builder().aiMessage(AiMessage.from("{\"score\": 1, \"covered\": [], \"missed\": [], "
                    + "\"figures\": [], \"traps\": [], \"evidence\": [], \"feedback\": \"fine\"}")).build();
        }

        String system(int i) {
            return ((SystemMessage) requests.get(i).messages().get(0)).text();
        }

        String user(int i) {
            return ((UserMessage) requests.get(i).messages().get(1)).singleText();
        }
    }

    @Test
    void twoAnswersShareTheWholePromptUpToTheTagLine() {
        Bank bank = BankLoader.load(List.of(BankFixtures.validBank(dir))).orThrow();
        PromptTemplate template = PromptTemplate.load("judge", Path.of(System.getProperty("coach.home", ".")), null);
        Recorder model = new Recorder();
        LlmJudge judge = new LlmJudge(model, "stub:recorder", template, null);
        judge.grade(bank.question("alpha").orElseThrow(), "A first answer about the first idea.");
        judge.grade(bank.question("alpha").orElseThrow(), "Another answer, quite different.");
        judge.grade(bank.question("beta").orElseThrow(), "An answer to another question.");

        assertEquals(model.system(0), model.system(1), "the system part does not change with the answer");
        assertEquals(model.system(0), model.system(2), "nor with the question");
        assertTrue(model.system(0).contains("<answer-TAG>"), "the markers are explained without the tag itself");

        String tagLine = "The answer's TAG is ";
        int cut0 = model.user(0).indexOf(tagLine);
        int cut1 = model.user(1).indexOf(tagLine);
        assertTrue(cut0 > 0 && cut0 == cut1, "the tag line comes after the rubric");
        assertEquals(model.user(0).substring(0, cut0), model.user(1).substring(0, cut1), "the rubric part is the same");
        assertNotEquals(model.user(0).substring(cut0), model.user(1).substring(cut1), "a new tag and answer each time");
        String tag = model.user(0).substring(cut0 + tagLine.length()).lines().findFirst().orElseThrow();
        assertTrue(tag.endsWith("."), tag);
        String nonce = tag.substring(0, tag.length() - 1);
        assertTrue(model.user(0).contains("<answer-" + nonce + ">\n") && model.user(0).contains("</answer-" + nonce + ">"),
                "the tag given is the one in the markers");
    }
}
