package dev.coach.bank;

/** What sort of answer a question calls for. */
public enum Kind implements BankEnum {
    CONCEPTUAL("conceptual"), DESIGN("design"), CALCULATION("calculation"), COMPARISON("comparison"),
    DEBUGGING("debugging"), COMMUNICATION("communication");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
