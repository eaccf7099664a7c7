package dev.coach.bank;

/** How often interviewers ask a question. */
public enum Frequency implements BankEnum {
    VERY_COMMON("very-common"), COMMON("common"), OCCASIONAL("occasional");

    private final String label;

    Frequency(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
