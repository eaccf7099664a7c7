#!/usr/bin/env node
// tokens.mjs - llama.cpp's tokenizer (node-llama-cpp's prebuilt CPU binary) on a list of texts, as JSON.
//
//   node tokens.mjs VOCAB.gguf CORPUS.json OUT.json
//
// CORPUS.json is [{line, text}, ...]. The vocabulary is loaded with vocab_only (no weights needed). For every text
// OUT.json records llama_tokenize without added BOS/EOS, once with special tokens parsed and once without, and
// llama_detokenize of those ids; plus the vocabulary's add-BOS/EOS flags, BOS/EOS ids, every token's attribute
// bits that are not plain "normal" and the end-of-generation set. Never builds or downloads anything.
import {getLlama, LlamaLogLevel} from "node-llama-cpp";
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= "true";
process.env.NODE_LLAMA_CPP_GPU ??= "false";

const [vocabPath, corpusPath, outPath] = process.argv.slice(2);
if (!vocabPath || !corpusPath || !outPath) {
    console.error("usage: node tokens.mjs VOCAB.gguf CORPUS.json OUT.json");
    process.exit(2);
}

const logs = [];
const llama = await getLlama({
    gpu: false, build: "never", skipDownload: true, usePrebuiltBinaries: true,
    logLevel: LlamaLogLevel.warn, logger: (level, msg) => logs.push(`[${level}] ${msg}`)
});
const model = await llama.loadModel({modelPath: path.resolve(vocabPath), vocabOnly: true, gpuLayers: 0});
const m = model._model; // the native binding: its tokenize() is llama_tokenize(add_special = false)

const ids = (a) => Array.from(a);
const corpus = JSON.parse(fs.readFileSync(corpusPath, "utf8"));
const cases = corpus.map(({line, text}) => {
    const plain = ids(m.tokenize(text, false));
    const special = ids(m.tokenize(text, true));
    return {
        line, text, plain, special,
        plain_detokenized: m.detokenize(Uint32Array.from(plain), false),
        special_detokenized_rendered: m.detokenize(Uint32Array.from(special), true),
        special_detokenized_hidden: m.detokenize(Uint32Array.from(special), false)
    };
});

const nVocab = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
const attributes = {};
const eog = [];
for (let id = 0; id < nVocab; id++) {
    const a = m.getTokenAttributes(id);
    if (a !== 4) attributes[id] = a;
    if (m.isEogToken(id)) eog.push(id);
}
const bytes = fs.readFileSync(vocabPath);
const out = {
    vocab: path.basename(vocabPath),
    gguf_sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
    reference: {
        node_llama_cpp: JSON.parse(fs.readFileSync(new URL("./node_modules/node-llama-cpp/package.json", import.meta.url), "utf8")).version,
        llama_cpp_release: llama.llamaCppRelease
    },
    n_vocab: nVocab,
    bos: m.tokenBos(), eos: m.tokenEos(),
    add_bos: m.shouldPrependBosToken(), add_eos: m.shouldAppendEosToken(),
    eog, attributes, cases
};
// one line per top-level field and per text, so that a regenerated file diffs line by line
const {cases: _, ...head} = out;
const lines = Object.entries(head).map(([k, v]) => ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
lines.push(` "cases": [\n${cases.map((c) => "  " + JSON.stringify(c)).join(",\n")}\n ]`);
fs.writeFileSync(outPath, "{\n" + lines.join(",\n") + "\n}\n");
console.error(`${path.basename(vocabPath)}: ${cases.length} texts -> ${outPath}`);
await model.dispose();
await llama.dispose();
