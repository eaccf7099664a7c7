package dev.coach.interview;

/** Time as the interview sees it: injectable, so tests run on a fake clock. */
public interface Clock {
    long millis();

    Clock SYSTEM = System::currentTimeMillis;
}
