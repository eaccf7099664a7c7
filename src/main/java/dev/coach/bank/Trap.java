package dev.coach.bank;

/** A mistake candidates make on a question, and why it is wrong. */
public record Trap(String mistake, String why) {
}
