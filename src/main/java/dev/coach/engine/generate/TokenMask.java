package dev.coach.engine.generate;

/**
 * Rules out tokens before sampling: {@link #apply} sets the logit of every token that may not come next to
 * negative infinity, and {@link #accept} tells the mask which token was chosen.
 */
public interface TokenMask {
    /** Called once before generation starts. */
    void reset();

    void apply(float[] logits);

    void accept(int token);

    /** True once the constrained output is complete, so generation can stop. */
    boolean complete();
}
