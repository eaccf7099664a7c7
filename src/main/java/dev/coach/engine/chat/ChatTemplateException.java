package dev.coach.engine.chat;

/**
 * A chat template could not be read or rendered. The message says which template and why. When the template
 * itself refused the conversation with {@code raise_exception(msg)}, {@link #raisedMessage()} is that message,
 * exactly as the template wrote it (it also appears, unchanged, at the end of {@link #getMessage()}).
 */
public final class ChatTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String raisedMessage;

    ChatTemplateException(String message) {
        this(message, (Throwable) null);
    }

    ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
        this.raisedMessage = null;
    }

    private ChatTemplateException(String message, String raisedMessage) {
        super(message);
        this.raisedMessage = raisedMessage;
    }

    static ChatTemplateException raised(String templateName, String message) {
        return new ChatTemplateException("chat template '" + templateName + "' rejected the conversation: " + message, message);
    }

    /** The message the template passed to {@code raise_exception}, or null if the failure was not raised by it. */
    public String raisedMessage() {
        return raisedMessage;
    }
}
