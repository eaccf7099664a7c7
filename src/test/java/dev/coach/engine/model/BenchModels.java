package dev.coach.engine.model;

import dev.coach.engine.gguf.GgmlType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import static dev.coach.engine.gguf.GgmlType.F32;
import static dev.coach.engine.gguf.GgmlType.Q4_0;
import static dev.coach.engine.gguf.GgmlType.Q4_K;
import static dev.coach.engine.gguf.GgmlType.Q8_0;

/**
 * Synthetic models shaped like Llama-3.2-1B for the speed benchmark ({@code scripts/bench/engine-vs-llamacpp.sh}):
 * 16 layers, n_embd 2048, 32 query heads sharing 8 KV heads of 64, FFN 8192, a vocabulary of 128,256 tokens, Llama 3
 * RoPE (base 500000 with {@code rope_freqs.weight}) and an untied output matrix. The real model ties the output to
 * the embeddings; a decoded token reads a full vocabulary-by-n_embd matrix either way, so the bytes per token are the
 * same. One file per weight type in {@link #TYPES}, every 2-D weight in that type, norms and RoPE factors in F32.
 *
 * <p>The weights are random but valid blocks ({@link RandomWeights}, as in {@link FixtureModels}), scaled so that
 * activations stay in a sane range through the 16 layers. Files are about 0.85 GB (Q4_0, Q4_K) and 1.6 GB (Q8_0), so
 * they are written tensor by tensor in chunks of about a megabyte, never held in memory; each tensor has its own
 * random stream keyed by its name, so the bytes do not depend on the chunk size and the files are the same on every
 * run.
 *
 * <p>The vocabulary is a byte-level BPE one that llama.cpp loads as {@code llama-bpe}: the 256 byte tokens, the
 * merges {@link FixtureVocab} learns from its text, plain padding tokens {@code [PADn]} up to id 127,999, then 256
 * Llama 3 style special tokens (BOS {@code <|begin_of_text|>} = 128000, EOS {@code <|eot_id|>} = 128009).
 *
 * <p>Run {@link #main} with a directory: it writes the files that are missing or have the wrong size and prints one
 * tab-separated line per model: file name, size, weight bytes read per decoded token, path.
 */
public final class BenchModels {

    /** The weight types there is a benchmark model for. */
    public static final List<GgmlType> TYPES = List.of(Q4_0, Q8_0, Q4_K);

    /** The number of tokens in the vocabulary, as in Llama 3. */
    public static final int N_VOCAB = 128_256;

    /** Llama-3.2-1B: n_embd, layers, heads, KV heads, head_dim, FFN, training context. */
    static final FixtureModels.Dims LLAMA_1B = new FixtureModels.Dims(2048, 16, 32, 8, 64, 8192, 131072);

    /** Llama 3 special tokens: the first id and the named ones (the rest are reserved_special_token_N). */
    static final int FIRST_SPECIAL = 128_000;
    static final int BOS = 128_000;
    static final int EOS = 128_009;

    private static final int ALIGNMENT = 32;
    /** Elements per generated chunk, a whole number of blocks of every type: about 1 MB of Q8_0. */
    private static final int CHUNK_ELEMENTS = 1 << 20;

    private BenchModels() {
    }

    /** {@code llama1b-q4_0.gguf} and so on. */
    public static String fileName(GgmlType type) {
        return "llama1b-" + type.name().toLowerCase(Locale.ROOT) + ".gguf";
    }

    /** The layouts of the 1B files, made once (the header with 128,256 tokens takes a moment). */
    private static final Map<GgmlType, Layout> LAYOUTS = new ConcurrentHashMap<>();

    static Layout layout1b(GgmlType type) {
        return LAYOUTS.computeIfAbsent(type, t -> layout(t, LLAMA_1B, N_VOCAB));
    }

    /** The size in bytes of the file {@link #write} makes for {@code type}. */
    public static long fileSize(GgmlType type) {
        return layout1b(type).fileSize();
    }

    /**
     * The weight bytes one decoded token reads: every tensor but {@code token_embd.weight} (of which a token reads
     * a single row). This is the numerator of the "fraction of memory bandwidth" figure.
     */
    public static long weightBytesPerToken(GgmlType type) {
        return layout1b(type).weightBytesPerToken();
    }

    /**
     * The multiply-adds of the weight matrices per prompt token: every element of the layers' matrices. Neither
     * {@code token_embd.weight} (a lookup) nor {@code output.weight} counts: when a prompt is read, both coach and
     * llama-bench take logits for its last token only. Attention's own products (a few per cent of this at 128
     * tokens) are left out too, so this is a lower bound on the arithmetic a prompt token needs.
     */
    public static long promptMultiplyAddsPerToken(GgmlType type) {
        return layout1b(type).promptMultiplyAddsPerToken();
    }

    /**
     * Writes {@code dir/}{@link #fileName} unless a file of exactly {@link #fileSize} is already there; returns its
     * path. The file is written under a temporary name first, so an interrupted run never leaves a file of the
     * right size with the wrong content.
     */
    public static Path write(GgmlType type, Path dir) {
        return write(layout1b(type), dir.resolve(fileName(type)));
    }

    /** Writes the models (all, or those named {@code q4_0}, {@code q8_0}, {@code q4_k}) into the directory given first. */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: BenchModels DIR [q4_0|q8_0|q4_k ...]   writes the Llama-3.2-1B-shaped benchmark models");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<GgmlType> types = new ArrayList<>();
        for (String a : List.of(args).subList(1, args.length)) {
            types.add(TYPES.stream().filter(t -> t.name().equalsIgnoreCase(a)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("no benchmark model of type '" + a + "'; the types are q4_0, q8_0, q4_k")));
        }
        for (GgmlType t : types.isEmpty() ? TYPES : types) {
            Layout l = layout1b(t);
            Path p = write(l, dir.resolve(fileName(t)));
            System.out.println(fileName(t) + "\t" + l.fileSize() + "\t" + l.weightBytesPerToken() + "\t" + p.toAbsolutePath()
                    + "\t" + l.promptMultiplyAddsPerToken());
        }
    }

    // ------------------------------------------------------------------------------------------ layout

    /** One tensor of the file: its data is {@code values} (F32) or random blocks of {@code type} with {@code sigma}. */
    record TensorSpec(String name, GgmlType type, long[] shape, double sigma, float[] values, long offset) {
        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        long bytes() {
            return type.bytesFor(elements());
        }
    }

    /** Everything about a file but its weights: the encoded header (metadata and tensor table) and the tensors. */
    record Layout(GgmlType type, byte[] header, List<TensorSpec> tensors) {
        long fileSize() {
            TensorSpec last = tensors.getLast();
            return header.length + last.offset() + last.bytes();
        }

        long weightBytesPerToken() {
            return tensors.stream().filter(t -> !t.name().equals("token_embd.weight")).mapToLong(TensorSpec::bytes).sum();
        }

        long promptMultiplyAddsPerToken() {
            return tensors.stream().filter(t -> t.name().startsWith("blk.") && t.shape().length == 2)
                    .mapToLong(TensorSpec::elements).sum();
        }
    }

    static Layout layout(GgmlType type, FixtureModels.Dims d, int nVocab) {
        int e = d.nEmbd();
        List<TensorSpec> specs = new ArrayList<>();
        long[] offset = {0};
        class Add {
            void matrix(String name, long ne0, long ne1, double sigma) {
                add(new TensorSpec(name, type, new long[] {ne0, ne1}, sigma, null, offset[0]));
            }

            void vector(String name, float[] v) {
                add(new TensorSpec(name, F32, new long[] {v.length}, 0, v, offset[0]));
            }

            void norm(String name) {
                vector(name, RandomWeights.uniform(e, 0.8, 1.2, rng(name)));
            }

            private void add(TensorSpec t) {
                specs.add(t);
                offset[0] = align(offset[0] + t.bytes());
            }
        }
        Add a = new Add();
        a.matrix("token_embd.weight", e, nVocab, 0.5);
        a.vector("rope_freqs.weight", llama3RopeFactors(d.headDim(), 500_000.0));
        a.norm("output_norm.weight");
        a.matrix("output.weight", e, nVocab, 3.0 / Math.sqrt(e));
        for (int i = 0; i < d.nLayer(); i++) {
            String p = "blk." + i + ".";
            a.norm(p + "attn_norm.weight");
            a.matrix(p + "attn_q.weight", e, d.q(), 1 / Math.sqrt(e));
            a.matrix(p + "attn_k.weight", e, d.kv(), 1 / Math.sqrt(e));
            a.matrix(p + "attn_v.weight", e, d.kv(), 1 / Math.sqrt(e));
            a.matrix(p + "attn_output.weight", d.q(), e, 1 / Math.sqrt(d.q()));
            a.norm(p + "ffn_norm.weight");
            a.matrix(p + "ffn_gate.weight", e, d.nFf(), 1 / Math.sqrt(e));
            a.matrix(p + "ffn_up.weight", e, d.nFf(), 1 / Math.sqrt(e));
            a.matrix(p + "ffn_down.weight", d.nFf(), e, 1 / Math.sqrt(d.nFf()));
        }
        for (TensorSpec t : specs) {
            if (t.shape()[0] % t.type().blockSize() != 0) {
                throw new IllegalArgumentException(t.name() + ": rows of " + t.shape()[0] + " elements are not whole "
                        + t.type() + " blocks of " + t.type().blockSize());
            }
        }
        return new Layout(type, header(type, d, nVocab, specs), List.copyOf(specs));
    }

    /** The random stream of one tensor's values. */
    static SplittableRandom rng(String tensor) {
        return new SplittableRandom("bench-llama1b".hashCode() * 1_000_003L + tensor.hashCode());
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /**
     * Llama 3.1/3.2 RoPE frequency factors (as converters store them in {@code rope_freqs.weight}), from Meta's
     * published rule with the Llama 3.2 settings: factor 32, low-frequency factor 1, high-frequency factor 4,
     * original context 8192. Fast rotations (wavelength under 8192/4) keep their frequency, slow ones (over
     * 8192/1) are divided by 32, and in between the divisor moves smoothly from 32 to 1.
     */
    static float[] llama3RopeFactors(int headDim, double base) {
        double factor = 32, low = 1, high = 4, original = 8192;
        float[] f = new float[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            double freq = Math.pow(base, -2.0 * i / headDim);
            double wavelength = 2 * Math.PI / freq;
            if (wavelength < original / high) {
                f[i] = 1;
            } else if (wavelength > original / low) {
                f[i] = (float) factor;
            } else {
                double smooth = (original / wavelength - low) / (high - low);
                f[i] = (float) (1 / ((1 - smooth) / factor + smooth));
            }
        }
        return f;
    }

    // ------------------------------------------------------------------------------------------ vocabulary

    /** The vocabulary described in the class comment: tokens, their types and the merges. */
    record Vocab(List<String> tokens, List<Integer> types, List<String> merges) {
    }

    static Vocab vocab(int nVocab) {
        FixtureVocab base = FixtureVocab.bpe("llama-bpe", 40, List.of("<|begin_of_text|>"), 0, 0, true);
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i < base.size() && base.types.get(i) != FixtureVocab.CONTROL; i++) {
            tokens.add(base.tokens.get(i));
            types.add(FixtureVocab.NORMAL);
        }
        int firstSpecial = nVocab - 256;
        for (int i = tokens.size(); i < firstSpecial; i++) {
            tokens.add("[PAD" + i + "]");
            types.add(FixtureVocab.NORMAL);
        }
        int reserved = 0;
        for (int i = firstSpecial; i < nVocab; i++) {
            String name = switch (i - firstSpecial) {
                case 0 -> "<|begin_of_text|>";
                case 1 -> "<|end_of_text|>";
                case 6 -> "<|start_header_id|>";
                case 7 -> "<|end_header_id|>";
                case 8 -> "<|eom_id|>";
                case 9 -> "<|eot_id|>";
                case 10 -> "<|python_tag|>";
                default -> "<|reserved_special_token_" + reserved++ + "|>";
            };
            tokens.add(name);
            types.add(FixtureVocab.CONTROL);
        }
        Set<String> seen = new HashSet<>();
        for (String t : tokens) {
            if (!seen.add(t)) {
                throw new IllegalStateException("duplicate token " + t); // llama.cpp refuses such a vocabulary
            }
        }
        return new Vocab(List.copyOf(tokens), List.copyOf(types), base.merges);
    }

    // ------------------------------------------------------------------------------------------ GGUF encoding

    private static byte[] header(GgmlType type, FixtureModels.Dims d, int nVocab, List<TensorSpec> tensors) {
        Vocab v = vocab(nVocab);
        Header h = new Header();
        h.string("general.architecture", "llama");
        h.string("general.name", "coach bench llama1b " + type.name().toLowerCase(Locale.ROOT));
        h.u32("general.file_type", FixtureModels.Plan.uniform(type).fileType());
        h.u32("general.quantization_version", 2);
        h.u32("general.alignment", ALIGNMENT);
        h.u32("llama.context_length", d.ctxTrain());
        h.u32("llama.embedding_length", d.nEmbd());
        h.u32("llama.block_count", d.nLayer());
        h.u32("llama.feed_forward_length", d.nFf());
        h.u32("llama.attention.head_count", d.nHead());
        h.u32("llama.attention.head_count_kv", d.nHeadKv());
        h.u32("llama.attention.key_length", d.headDim());
        h.u32("llama.attention.value_length", d.headDim());
        h.u32("llama.rope.dimension_count", d.headDim());
        h.f32("llama.rope.freq_base", 500_000f);
        h.f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        h.u32("llama.vocab_size", nVocab);
        h.string("tokenizer.ggml.model", "gpt2");
        h.string("tokenizer.ggml.pre", "llama-bpe");
        h.strings("tokenizer.ggml.tokens", v.tokens());
        h.int32s("tokenizer.ggml.token_type", v.types());
        h.strings("tokenizer.ggml.merges", v.merges());
        h.u32("tokenizer.ggml.bos_token_id", nVocab - 256 + (BOS - FIRST_SPECIAL));
        h.u32("tokenizer.ggml.eos_token_id", nVocab - 256 + (EOS - FIRST_SPECIAL));
        h.bool("tokenizer.ggml.add_bos_token", true);
        h.bool("tokenizer.ggml.add_eos_token", false);
        return h.encode(tensors);
    }

    /** GGUF v3 metadata and tensor table, encoded little-endian as the format requires. */
    private static final class Header {
        private final ByteArrayOutputStream kv = new ByteArrayOutputStream();
        private int count;

        void u32(String key, long value) {
            key(key, 4);
            kv.writeBytes(le(4).putInt((int) value).array());
        }

        void f32(String key, float value) {
            key(key, 6);
            kv.writeBytes(le(4).putFloat(value).array());
        }

        void bool(String key, boolean value) {
            key(key, 7);
            kv.write(value ? 1 : 0);
        }

        void string(String key, String value) {
            key(key, 8);
            str(kv, value);
        }

        void strings(String key, List<String> values) {
            key(key, 9);
            kv.writeBytes(le(12).putInt(8).putLong(values.size()).array());
            values.forEach(s -> str(kv, s));
        }

        void int32s(String key, List<Integer> values) {
            key(key, 9);
            ByteBuffer b = le(12 + 4 * values.size()).putInt(5).putLong(values.size());
            values.forEach(b::putInt);
            kv.writeBytes(b.array());
        }

        private void key(String key, int type) {
            count++;
            str(kv, key);
            kv.writeBytes(le(4).putInt(type).array());
        }

        byte[] encode(List<TensorSpec> tensors) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.writeBytes(le(24).putInt(0x46554747).putInt(3).putLong(tensors.size()).putLong(count).array());
            o.writeBytes(kv.toByteArray());
            for (TensorSpec t : tensors) {
                str(o, t.name());
                ByteBuffer b = le(4 + 8 * t.shape().length + 4 + 8).putInt(t.shape().length);
                for (long dim : t.shape()) {
                    b.putLong(dim);
                }
                o.writeBytes(b.putInt(t.type().id()).putLong(t.offset()).array());
            }
            while (o.size() % ALIGNMENT != 0) {
                o.write(0);
            }
            return o.toByteArray();
        }

        private static void str(ByteArrayOutputStream o, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            o.writeBytes(le(8).putLong(b.length).array());
            o.writeBytes(b);
        }

        private static ByteBuffer le(int n) {
            return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    // ------------------------------------------------------------------------------------------ writing

    static Path write(Layout l, Path file) {
        return write(l, file, CHUNK_ELEMENTS);
    }

    /** Writes in chunks of {@code chunkElements} (a whole number of blocks) per generator call. */
    static Path write(Layout l, Path file, int chunkElements) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) == l.fileSize()) {
                return file;
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path part = file.resolveSibling(file.getFileName() + ".part");
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(l.header()));
                long base = l.header().length;
                for (TensorSpec t : l.tensors()) {
                    ch.position(base + t.offset()); // the gap before it reads as zeros
                    if (t.values() != null) {
                        writeFully(ch, ByteBuffer.wrap(RandomWeights.f32Bytes(t.values())));
                        continue;
                    }
                    SplittableRandom r = rng(t.name());
                    for (long done = 0; done < t.elements(); done += chunkElements) {
                        long n = Math.min(chunkElements, t.elements() - done);
                        writeFully(ch, ByteBuffer.wrap(RandomWeights.generate(t.type(), n, t.sigma(), r)));
                    }
                }
                if (ch.size() != l.fileSize()) {
                    throw new IllegalStateException("wrote " + ch.size() + " bytes into " + part + ", expected " + l.fileSize());
                }
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark model " + file + ": " + e.getMessage()
                    + " (it needs up to 1.6 GB of free disk space)", e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
