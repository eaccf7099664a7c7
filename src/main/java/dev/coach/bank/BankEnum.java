package dev.coach.bank;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The closed vocabularies of the bank (levels, frequencies, kinds, roles), spelled as in the YAML. */
public interface BankEnum {

    @JsonValue
    String label();

    /** Exact match on the YAML spelling. */
    static <E extends Enum<E> & BankEnum> Optional<E> parse(Class<E> type, String text) {
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.label().equals(text)).findFirst();
    }

    /** Lenient match for command-line filters: case and separators ignored ("ai-engineer" finds "AI Engineer"). */
    static <E extends Enum<E> & BankEnum> Optional<E> parseLenient(Class<E> type, String text) {
        String wanted = normal(text);
        return Arrays.stream(type.getEnumConstants()).filter(e -> normal(e.label()).equals(wanted)).findFirst();
    }

    static <E extends Enum<E> & BankEnum> String choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(BankEnum::label).collect(Collectors.joining(", "));
    }

    private static String normal(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
