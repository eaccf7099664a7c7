#!/usr/bin/env node
// logits.mjs - llama.cpp's reference logits for one GGUF file, as compact JSON for coach's engine tests.
//
//   node logits.mjs -m target/engine-fixtures/llama-q8_0.gguf -o src/test/resources/engine/reference/llama-q8_0.json
//
// Loads the file in llama.cpp (node-llama-cpp's prebuilt CPU binary; never builds or downloads anything) with a
// context of 64 requested (node-llama-cpp rounds it up to 256; the JSON records both), F32 KV cache, flash
// attention off and 1 thread, then:
//   1. prompt = BOS + the first tokens of a fixed English text, PROMPT_LEN tokens in all, evaluated in one batch
//      with the full-vocabulary logits requested after every position (teacher forcing);
//   2. GREEDY more tokens, free running: each is the argmax of the previous logits and is decoded on its own,
//      again with full logits (all but the last, whose logits are not needed).
//   3. the same sequence again with flash attention on, keeping per row only the largest |difference|: how far
//      llama.cpp drifts from itself when only its attention kernel changes.
// The JSON holds the token ids, every row of logits rounded to 6 significant digits, each row's top-1 margin and
// flash-attention difference, the file's sha256 (so a test can tell that the reference was made from the bytes it
// regenerates) and what llama.cpp warned about while loading.
import {getLlama, LlamaLogLevel} from "node-llama-cpp";
import {parseArgs} from "node:util";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= "true";
process.env.NODE_LLAMA_CPP_GPU ??= "false";

const TEXT = "The quick brown fox jumps over the lazy dog. Tell me about a time you led a team through a hard deadline.";

const {values: a} = parseArgs({
    options: {
        model: {type: "string", short: "m"},
        out: {type: "string", short: "o"},
        "prompt-len": {type: "string", default: "12"},
        greedy: {type: "string", default: "8"},
        ctx: {type: "string", default: "64"},
        threads: {type: "string", short: "t", default: "1"},
        tokens: {type: "string"}, // explicit prompt ids "1,2,3" instead of BOS + the text (for experiments)
        verbose: {type: "boolean", short: "v", default: false}
    }
});
if (!a.model) {
    console.error("usage: node logits.mjs -m MODEL.gguf [-o OUT.json] [--prompt-len 12] [--greedy 8] [--ctx 64] [-t 1] [--tokens 1,2,3] [-v]");
    process.exit(2);
}
const PROMPT_LEN = +a["prompt-len"], GREEDY = +a.greedy, CTX = +a.ctx, THREADS = +a.threads;
const modelPath = path.resolve(a.model);
const bytes = fs.readFileSync(modelPath);
const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");

const logs = [];
const llama = await getLlama({
    gpu: false, build: "never", skipDownload: true, usePrebuiltBinaries: true, maxThreads: THREADS,
    logLevel: LlamaLogLevel.info,
    logger: (level, msg) => {
        logs.push({level: String(level), msg: msg.trimEnd()});
        if (a.verbose) process.stderr.write(`[${level}] ${msg}`);
    }
});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({
    contextSize: CTX, batchSize: CTX, sequences: 1, flashAttention: false,
    threads: {ideal: THREADS, min: THREADS},
    experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32"
});
const seq = context.getSequence();
const bos = model.tokens.bos;
if (bos == null) throw new Error(`${modelPath}: the vocabulary has no BOS token`);

const text = model.tokenize(TEXT, false);
const prompt = a.tokens ? a.tokens.split(/[,\s]+/).filter(Boolean).map(Number) : [bos, ...text].slice(0, PROMPT_LEN);
if (!a.tokens && prompt.length < PROMPT_LEN) throw new Error(`${modelPath}: the text gave only ${prompt.length} tokens`);

// one row: a dense array indexed by token id, rounded to 6 significant digits
function row(map, where) {
    if (!(map instanceof Map) || map.size === 0) throw new Error(`${modelPath}: no logits ${where}`);
    const out = new Array(map.size);
    for (const [id, v] of map) {
        if (!Number.isFinite(v)) throw new Error(`${modelPath}: logit of token ${id} ${where} is ${v}`);
        out[id] = Number(v.toPrecision(6));
    }
    for (let i = 0; i < out.length; i++) if (out[i] === undefined) throw new Error(`${modelPath}: token ${i} missing ${where}`);
    return out;
}
const argmax = (r) => r.reduce((best, v, i) => (v > r[best] ? i : best), 0);
const margin = (r) => {
    const top = argmax(r);
    let second = -Infinity;
    r.forEach((v, i) => { if (i !== top && v > second) second = v; });
    return Number((r[top] - second).toPrecision(6));
};

await seq.clearHistory();
const want = {logits: true, token: true, options: {temperature: 0}};
const res = await seq.controlledEvaluate(prompt.map((t) => [t, {generateNext: want}]));
const rows = res.map((x, i) => row(x?.next?.logits, `after prompt position ${i}`));
const samplerPicks = res.map((x) => x.next.token);
const greedy = [];
for (let k = 0; k < GREEDY; k++) {
    const next = argmax(rows[rows.length - 1]);
    greedy.push(next);
    if (k === GREEDY - 1) break;
    const r = await seq.controlledEvaluate([[next, {generateNext: want}]]);
    rows.push(row(r[0]?.next?.logits, `after greedy token ${k}`));
    samplerPicks.push(r[0].next.token);
}
// llama.cpp's own greedy sampler must agree with the argmax of the logits we record (else they are not raw)
const disagree = samplerPicks.map((t, i) => [i, t, argmax(rows[i])]).filter(([, t, m]) => t !== m);
if (disagree.length) throw new Error(`${modelPath}: llama.cpp's greedy pick differs from the argmax at rows ${JSON.stringify(disagree)}`);

// llama.cpp's own sensitivity: the same sequence with flash attention on (a different but equally valid
// attention kernel). With quantized weights llama.cpp quantizes activations (to Q8_0, Q8_1 or Q8_K) before each
// matrix product, so a tiny change upstream re-rolls that rounding; the difference measures how far two correct
// implementations can drift apart on this model, row by row.
const faContext = await model.createContext({
    contextSize: CTX, batchSize: CTX, sequences: 1, flashAttention: true,
    threads: {ideal: THREADS, min: THREADS},
    experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32"
});
const faSeq = faContext.getSequence();
const faRes = await faSeq.controlledEvaluate(prompt.map((t) => [t, {generateNext: {logits: true}}]));
const faRows = faRes.map((x, i) => row(x?.next?.logits, `after prompt position ${i} (flash attention)`));
for (let k = 0; k + 1 < GREEDY; k++) {
    const r = await faSeq.controlledEvaluate([[greedy[k], {generateNext: {logits: true}}]]);
    faRows.push(row(r[0]?.next?.logits, `after greedy token ${k} (flash attention)`));
}
const faNoise = rows.map((r, i) => Number(Math.max(...r.map((v, j) => Math.abs(v - faRows[i][j]))).toPrecision(4)));
await faContext.dispose();

const vocabSize = rows[0].length;
const fileInfo = model.fileInfo;
const result = {
    model: path.basename(modelPath, ".gguf"),
    architecture: fileInfo?.metadata?.general?.architecture ?? null,
    file: path.basename(modelPath),
    bytes: bytes.length,
    sha256,
    reference: {
        engine: "llama.cpp",
        node_llama_cpp: JSON.parse(fs.readFileSync(new URL("./node_modules/node-llama-cpp/package.json", import.meta.url), "utf8")).version,
        llama_cpp_release: llama.llamaCppRelease?.release ?? String(llama.llamaCppRelease),
        context_requested: CTX, context: context.contextSize, threads: THREADS, kv_cache: "F32", flash_attention: false,
        note: "rows 0.." + (PROMPT_LEN - 1) + " come from one batch over the prompt; the later rows from single-token decodes"
    },
    text: TEXT,
    n_vocab: vocabSize,
    prompt,
    greedy,
    sequence: [...prompt, ...greedy.slice(0, -1)],
    margins: rows.map(margin),
    flash_attention_diff: faNoise,
    logits: rows,
    llama_warnings: logs.filter((l) => /warn|error/i.test(l.level)).map((l) => l.msg).filter((m) => m.trim() !== ""),
    llama_info: logs.map((l) => l.msg.trim())
        .filter((m) => /print_info: (arch|file type|n_swa|is_swa_any|n_embd_head_k|n_rot|freq_base_train|freq_scale_train|freq_base_swa|rope type|rope scaling|n_ctx_orig_yarn|f_attn_logit_softcapping|f_final_logit_softcapping|model type|vocab type|n_vocab)\b/.test(m))
        .filter((m, i, all) => all.indexOf(m) === i)
};
const json = JSON.stringify(result) + "\n";
if (a.out) {
    fs.mkdirSync(path.dirname(path.resolve(a.out)), {recursive: true});
    fs.writeFileSync(a.out, json);
} else {
    process.stdout.write(json);
}
await context.dispose();
await model.dispose();
await llama.dispose();
