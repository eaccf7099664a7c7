package dev.coach.bank.importer;

/** The Markdown/plain-text question-bank layouts the importer recognises. */
public enum Layout {
    /** {@code Q: "..."} questions with Tags, Answer outline, Numbers to drop, Common follow-ups and Traps. */
    TAGGED("tagged questions (Q: / Tags / Answer outline / Follow-ups / Traps)"),
    /** {@code Q12. ...} numbered questions with a {@code Difficulty: X | Roles: ...} line, an answer and Follow-ups. */
    NUMBERED("numbered questions with Difficulty | Roles, answer and follow-ups"),
    /** {@code Q3: ...} questions with short answers. */
    Q_COLON("'Qn:' questions with short answers"),
    /** A handbook: a {@code Q07} line, the question on the next line, an answer and an interview tip. */
    HANDBOOK("handbook of numbered questions with tips"),
    /** A study guide whose quick-reference list has {@code "question" → answer} lines. */
    QUICK_REFERENCE("study guide with a quick-reference list"),
    /** Plain Markdown: one heading per question, the answer below it. */
    HEADINGS("plain Markdown, one heading per question");

    private final String description;

    Layout(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
