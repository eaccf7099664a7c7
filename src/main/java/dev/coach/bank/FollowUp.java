package dev.coach.bank;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A follow-up the interviewer may ask. {@code ref} names the bank question it leads into (or null);
 * {@code probes} names the outline point id, or {@code trap:N}, that it tests (or null).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FollowUp(String question, String ref, String probes) {
}
