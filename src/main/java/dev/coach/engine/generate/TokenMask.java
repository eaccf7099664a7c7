package dev.coach.engine.generate;

/**
 * Rules out tokens before sampling: {@link #apply} sets the logit of every token that may not come next to
 * negative infinity, and {@link #accept} tells the mask which token was chosen.
 */
public interface TokenMask {
    /** Called once before generation starts. */
    void reset();

    /**
     * Rules out tokens that may not come next; {@code remainingTokens} is how many more tokens may be generated
     * (this one included), so a mask can steer towards an output that finishes in time.
     */
    void apply(float[] logits, int remainingTokens);

    void accept(int token);

    /** True once the constrained output is complete, so generation can stop. */
    boolean complete();
}
