package dev.coach.engine.model;

/**
 * Rotary position embedding, computed the way ggml does: the angle for pair {@code i} at position {@code p} is
 * {@code p · base^(-2i/dims)}, built by repeated multiplication in float, divided by the pair's frequency factor (if
 * the model has them) and multiplied by the linear frequency scale. "Normal" RoPE rotates adjacent values
 * {@code (x[2i], x[2i+1])}; NeoX RoPE rotates {@code (x[i], x[i + dims/2])}. Values past {@code dims} are left alone.
 */
final class Rope {
    private Rope() {
    }

    static void apply(float[] vec, int heads, int headDim, int dims, int position, float base, float freqScale, float attnFactor,
                      float[] factors, boolean neox) {
        float thetaScale = (float) Math.pow(base, -2.0 / dims);
        int half = dims / 2;
        float[] cos = new float[half];
        float[] sin = new float[half];
        float theta = position;
        for (int i = 0; i < half; i++) {
            float ff = factors != null ? factors[i] : 1f;
            float angle = freqScale * (theta / ff);
            cos[i] = (float) Math.cos(angle) * attnFactor;
            sin[i] = (float) Math.sin(angle) * attnFactor;
            theta *= thetaScale;
        }
        for (int h = 0; h < heads; h++) {
            int off = h * headDim;
            for (int i = 0; i < half; i++) {
                int a = neox ? off + i : off + 2 * i;
                int b = neox ? off + i + half : off + 2 * i + 1;
                float x0 = vec[a];
                float x1 = vec[b];
                vec[a] = x0 * cos[i] - x1 * sin[i];
                vec[b] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }
}
