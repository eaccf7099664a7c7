package dev.coach.bank;

/** One point a good answer makes; essential points are the ones a strong answer cannot omit. */
public record OutlinePoint(String id, String point, boolean essential) {
}
