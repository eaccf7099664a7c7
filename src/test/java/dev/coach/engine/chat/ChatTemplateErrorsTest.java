package dev.coach.engine.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A template that cannot be read or rendered fails with a message naming the template and the problem. */
class ChatTemplateErrorsTest {

    private static ChatTemplateException readError(String source) {
        return assertThrows(ChatTemplateException.class, () -> ChatTemplate.jinja("bad", source, "", ""));
    }

    private static ChatTemplateException renderError(String source) {
        ChatTemplate t = ChatTemplate.jinja("bad", source, "", "");
        return assertThrows(ChatTemplateException.class, () -> t.render(List.of(ChatMessage.user("hi")), true));
    }

    private static void assertMentions(ChatTemplateException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void missingEndTag() {
        assertMentions(readError("{% if messages %}no end"), "chat template 'bad' cannot be read", "endif");
    }

    @Test
    void unclosedTag() {
        assertMentions(readError("line one\n{{ 'a' "), "cannot be read", "line 2", "never closed with }}");
    }

    @Test
    void unclosedString() {
        assertMentions(readError("{{ 'abc }}"), "cannot be read", "string literal", "never closed");
    }

    @Test
    void unclosedComment() {
        assertMentions(readError("{# note"), "cannot be read", "comment");
    }

    @Test
    void strayEndTag() {
        assertMentions(readError("{% endfor %}"), "cannot be read");
    }

    @Test
    void unbalancedBrackets() {
        assertMentions(readError("{{ messages[0) }}"), "cannot be read", "unexpected ')'", "expected ']'");
    }

    @Test
    void unknownFilterAndTestFailWhenReached() {
        // Jinjava would pass the value through an unknown filter unchanged; Jinja2 fails when it gets there
        assertMentions(renderError("{{ 'a' | shout }}"), "chat template 'bad' failed", "filter 'shout'");
        assertMentions(renderError("{% if messages is palindrome %}{% endif %}"), "test 'is palindrome'");
        assertMentions(renderError("{% if messages is not palindrome %}{% endif %}"), "test 'is palindrome'");
        // ... and only then: templates guard filters of other engines behind conditions (DeepSeek's from_json)
        ChatTemplate guarded = ChatTemplate.jinja("guarded", "{% if false %}{{ x | from_json }}{% endif %}ok", "", "");
        assertEquals("ok", guarded.render(List.of(ChatMessage.user("hi")), true));
    }

    @Test
    void unknownTag() {
        assertMentions(readError("{% shout %}"), "cannot be read", "shout");
    }

    @Test
    void unknownFunctionFailsWhenCalled() {
        assertMentions(renderError("{{ shout('x') }}"), "chat template 'bad' failed", "shout");
    }

    @Test
    void pythonMethodMisuse() {
        assertMentions(renderError("{{ 'a'.split('') }}"), "failed", "empty separator");
        assertMentions(renderError("{{ [1, 2][::0] }}"), "failed", "slice step cannot be zero");
    }

    @Test
    void raiseExceptionMessageSurfacesAsIs() {
        ChatTemplateException e = renderError("{% if messages|length < 2 %}{{ raise_exception('Need at least \"two\" messages: got ' ~ messages|length) }}{% endif %}");
        assertEquals("Need at least \"two\" messages: got 1", e.raisedMessage());
        assertEquals("chat template 'bad' rejected the conversation: Need at least \"two\" messages: got 1", e.getMessage());
    }

    @Test
    void onlyTheFirstRaiseCounts() {
        ChatTemplateException e = renderError("{% for i in range(3) %}{{ raise_exception('stop at ' ~ i) }}{% endfor %}");
        assertEquals("stop at 0", e.raisedMessage());
    }

    @Test
    void otherFailuresHaveNoRaisedMessage() {
        assertNull(readError("{% if %}").raisedMessage());
    }

    @Test
    void recursiveLoopsAreRefusedClearly() {
        assertMentions(readError("{% for m in messages if m recursive %}{% endfor %}"), "recursive loops are not supported");
    }
}
