package dev.coach.llm;

/** A bad configuration file or setting: printed without a stack trace, exit code 2. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
