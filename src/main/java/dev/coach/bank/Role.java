package dev.coach.bank;

/** The job titles a question is relevant to. */
public enum Role implements BankEnum {
    MLE("MLE"), AI_ENGINEER("AI Engineer"), RESEARCH_ENGINEER("Research Engineer"), LLM_ENGINEER("LLM Engineer"),
    ML_INFRA_ENGINEER("ML Infra Engineer"), APPLIED_SCIENTIST("Applied Scientist");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }
}
