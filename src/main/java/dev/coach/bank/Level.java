package dev.coach.bank;

/** How senior the interview loop is where a question is typically asked. */
public enum Level implements BankEnum {
    SCREEN("screen"), MID("mid"), SENIOR("senior");

    private final String label;

    Level(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
