package dev.coach.engine.json;

import dev.coach.engine.generate.TokenMask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * Constrained decoding: before each sample, every token whose bytes would take the output outside the
 * {@link Schema} gets a logit of negative infinity, so whatever the sampler picks, the output is a prefix of a valid
 * document; once the document is complete only end-of-generation tokens remain, and generation stops.
 *
 * <p>The vocabulary is arranged in a byte trie once ({@link Vocabulary}), so tokens sharing a prefix are checked
 * together and a rejected prefix rules out its whole subtree.
 */
public final class JsonSchemaMask implements TokenMask {

    /** The token bytes of a vocabulary, arranged for fast prefix checks. Build once per model and share. */
    public static final class Vocabulary {
        private final Node root = new Node();
        private final int[] endOfGeneration;
        private final int size;
        private int longestToken;

        /**
         * @param size      vocabulary size
         * @param bytes     the bytes a token stands for
         * @param text      tokens that may appear in JSON output (normal and byte tokens; not control tokens)
         * @param endOfGen  tokens that end generation
         */
        public Vocabulary(int size, IntFunction<byte[]> bytes, IntPredicate text, IntPredicate endOfGen) {
            this.size = size;
            List<Integer> eog = new ArrayList<>();
            for (int id = 0; id < size; id++) {
                if (endOfGen.test(id)) {
                    eog.add(id);
                    continue;
                }
                if (!text.test(id)) {
                    continue;
                }
                byte[] b = bytes.apply(id);
                if (b == null || b.length == 0) {
                    continue;
                }
                longestToken = Math.max(longestToken, b.length);
                Node n = root;
                for (byte x : b) {
                    n = n.child(x & 0xFF);
                }
                n.addToken(id);
            }
            root.freeze();
            endOfGeneration = eog.stream().mapToInt(Integer::intValue).toArray();
        }

        public int size() {
            return size;
        }
    }

    private static final class Node {
        private int[] keys = new int[0];
        private Node[] kids = new Node[0];
        private int[] tokens = new int[0];
        private int nTokens;

        Node child(int b) {
            int i = Arrays.binarySearch(keys, b);
            if (i >= 0) {
                return kids[i];
            }
            i = -i - 1;
            int[] k = new int[keys.length + 1];
            Node[] c = new Node[kids.length + 1];
            System.arraycopy(keys, 0, k, 0, i);
            System.arraycopy(kids, 0, c, 0, i);
            k[i] = b;
            c[i] = new Node();
            System.arraycopy(keys, i, k, i + 1, keys.length - i);
            System.arraycopy(kids, i, c, i + 1, kids.length - i);
            keys = k;
            kids = c;
            return c[i];
        }

        void addToken(int id) {
            if (nTokens == tokens.length) {
                tokens = Arrays.copyOf(tokens, Math.max(1, nTokens * 2));
            }
            tokens[nTokens++] = id;
        }

        void freeze() {
            tokens = Arrays.copyOf(tokens, nTokens);
            for (Node k : kids) {
                k.freeze();
            }
        }
    }

    private final Vocabulary vocab;
    private final Schema schema;
    private final IntFunction<byte[]> bytes;
    private JsonMatcher.State state;
    private final boolean[] allowed;
    private final int slack;
    private int budget;
    private final JsonMatcher.Memo memo = new JsonMatcher.Memo();

    public JsonSchemaMask(Vocabulary vocab, Schema schema, IntFunction<byte[]> bytes) {
        this.vocab = vocab;
        this.schema = schema;
        this.bytes = bytes;
        this.allowed = new boolean[vocab.size()];
        this.slack = vocab.longestToken + 2 * JsonMatcher.largestMinimal(schema);
        reset();
    }

    @Override
    public void reset() {
        state = JsonMatcher.start(schema);
    }

    @Override
    public void apply(float[] logits, int remainingTokens) {
        Arrays.fill(allowed, false);
        if (state != JsonMatcher.DONE) {
            // Counting one token per byte, a token may be taken only if what it leaves open can still be closed
            // with the tokens left. Far from the limit no token can break that, so the check is skipped.
            int close = JsonMatcher.minToClose(state, memo);
            budget = remainingTokens - 1 > close + slack ? Integer.MAX_VALUE : remainingTokens - 1;
            walk(vocab.root, state);
            if (budget != Integer.MAX_VALUE && !any()) {
                // The budget is already too small to close: keep going as far as it lets us.
                budget = Integer.MAX_VALUE;
                walk(vocab.root, state);
            }
        }
        if (JsonMatcher.complete(state)) {
            for (int id : vocab.endOfGeneration) {
                allowed[id] = true;
            }
        }
        for (int i = 0; i < logits.length; i++) {
            if (i >= allowed.length || !allowed[i]) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    private boolean any() {
        for (boolean a : allowed) {
            if (a) {
                return true;
            }
        }
        return false;
    }

    private void walk(Node node, JsonMatcher.State s) {
        for (int i = 0; i < node.keys.length; i++) {
            JsonMatcher.State next = JsonMatcher.advance(s, node.keys[i]);
            if (next == null) {
                continue;
            }
            Node kid = node.kids[i];
            if (budget == Integer.MAX_VALUE || JsonMatcher.minToClose(next, memo) <= budget) {
                for (int t : kid.tokens) {
                    allowed[t] = true;
                }
            }
            if (kid.keys.length > 0 && next != JsonMatcher.DONE) {
                walk(kid, next);
            }
        }
    }

    @Override
    public void accept(int token) {
        byte[] b = bytes.apply(token);
        JsonMatcher.State s = state;
        for (byte x : b) {
            s = s == null ? null : JsonMatcher.advance(s, x & 0xFF);
        }
        if (s == null) {
            throw new IllegalStateException("token " + token + " was chosen although the JSON mask ruled it out");
        }
        state = s;
    }

    @Override
    public boolean complete() {
        return state == JsonMatcher.DONE;
    }
}
