#!/usr/bin/env node
// table.mjs - the Markdown table of scripts/bench/engine-vs-llamacpp.sh, from the files it leaves in target/bench:
//   models.tsv             file name, size, weight bytes per decoded token, path, multiply-adds per prompt token
//                          (from BenchModels)
//   fmapeak.json           the JVM's float multiply-add peak with 1 and T threads (FmaPeak)
//   membw-before.json, membw-after.json   read bandwidth (scripts/bench/membw.c) before and after the engines ran
//   llama-bench-T.json     llama-bench -o json for model type T
//   coach-T.json           coach model bench --json for model type T (missing or empty: coach's columns show "-")
//   NAME.rss, NAME.load    peak resident bytes, and how busy the CPUs were before and during the run
//   context.json           date, CPU, thread count, versions
//
//   node scripts/bench/table.mjs target/bench
import fs from "node:fs";
import path from "node:path";

const dir = process.argv[2];
if (!dir) {
    console.error("usage: node table.mjs DIR   (DIR is where engine-vs-llamacpp.sh left its results, target/bench)");
    process.exit(2);
}
const file = name => path.join(dir, name);
const exists = name => fs.existsSync(file(name)) && fs.statSync(file(name)).size > 0;
const text = name => exists(name) ? fs.readFileSync(file(name), "utf8").trim() : null;
function json(name) {
    const t = text(name);
    if (t == null) return null;
    try {
        return JSON.parse(t);
    } catch (e) {
        console.error(`warning: ${file(name)} is not valid JSON (${e.message}); its columns are left empty`);
        return null;
    }
}

const context = json("context.json") ?? {};
const threads = context.threads ?? 2;
const pp = context.pp ?? 128, tg = context.tg ?? 32;
function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median read bandwidth with n threads over every pass of both membw runs. */
const membw = ["membw-before.json", "membw-after.json"].map(json).filter(Boolean);
const bwPasses = n => membw.flatMap(m => m.read?.find(r => r.threads === n)?.samples_gbs ?? []);
const readBw = n => bwPasses(n).length ? +median(bwPasses(n)).toFixed(1) : null;
const bw = readBw(threads);

/** {median, min, max} tokens/s of one llama-bench test, from its per-repetition samples. */
function llamaBenchTest(rows, kind) {
    const r = rows?.find(x => kind === "pp" ? x.n_prompt > 0 && x.n_gen === 0 : x.n_gen > 0 && x.n_prompt === 0);
    if (!r) return null;
    const s = r.samples_ts?.length ? r.samples_ts : [r.avg_ts];
    return {median: median(s), min: Math.min(...s), max: Math.max(...s), n: s.length};
}

/** {median, min, max} tokens/s of one coach test ("pp128", "tg32"). */
function coachTest(doc, name) {
    const t = doc?.tests?.find(x => x.name === name);
    const s = t?.tokens_per_second;
    return s && Number.isFinite(s.median) ? {median: s.median, min: s.min, max: s.max, n: t.runs?.length} : null;
}

const dash = "-";
const tps = s => s ? `${s.median.toFixed(s.median < 100 ? 2 : 1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : dash;
const ratio = (a, b) => a && b ? `${(a.median / b.median).toFixed(2)}×` : dash;
const mb = b => b == null ? dash : `${(b / 1e6).toFixed(1)} MB`;
const mib = b => b == null ? dash : `${(b / 2 ** 20).toFixed(0)} MiB`;
const pct = x => x == null ? dash : `${(100 * x).toFixed(0)}%`;
const num = name => {
    const t = text(name);
    return t == null || t === "" ? null : Number(t);
};

const models = (text("models.tsv") ?? "").split("\n").filter(Boolean).map(l => {
    const [name, size, perToken, p, macs] = l.split("\t");
    return {name, type: name.replace(/^llama1b-/, "").replace(/\.gguf$/, ""), size: +size, perToken: +perToken, path: p,
        promptMacs: macs ? +macs : null};
});

const header = ["model", "weights/token", `llama.cpp pp${pp} t/s`, `coach pp${pp} t/s`, "pp ratio",
    `llama.cpp tg${tg} t/s`, `coach tg${tg} t/s`, "tg ratio", "coach tg GB/s", "coach % of read bw",
    "llama.cpp % of read bw", "peak RSS llama.cpp", "peak RSS coach", "RSS ratio"];
const rows = [];
const prompts = []; // per model: llama.cpp's and coach's prompt speed, for the second table
const loads = [];
const settings = new Set();
for (const m of models) {
    const lb = json(`llama-bench-${m.type}.json`);
    const co = json(`coach-${m.type}.json`);
    const lpp = llamaBenchTest(lb, "pp"), ltg = llamaBenchTest(lb, "tg");
    const cpp = coachTest(co, `pp${pp}`), ctg = coachTest(co, `tg${tg}`);
    prompts.push({m, lpp, cpp});
    const lRss = num(`llama-bench-${m.type}.rss`), cRss = co ? num(`coach-${m.type}.rss`) : null;
    const coachGbs = ctg ? m.perToken * ctg.median / 1e9 : null;
    const llamaGbs = ltg ? m.perToken * ltg.median / 1e9 : null;
    rows.push([m.type.toUpperCase(), mb(m.perToken), tps(lpp), tps(cpp), ratio(cpp, lpp), tps(ltg), tps(ctg), ratio(ctg, ltg),
        coachGbs == null ? dash : coachGbs.toFixed(1), coachGbs != null && bw ? pct(coachGbs / bw) : dash,
        llamaGbs != null && bw ? pct(llamaGbs / bw) : dash, mib(lRss), mib(cRss),
        lRss && cRss ? `${(cRss / lRss).toFixed(2)}×` : dash]);
    for (const who of ["llama-bench", "coach"]) {
        const l = text(`${who}-${m.type}.load`)?.replace(/\n/g, "; ");
        if (l != null && (who === "llama-bench" || co)) loads.push(`${who} ${m.type} ${l}`);
    }
    const r = lb?.[0];
    const fa = {"-1": "auto", "0": "off", "1": "on"}[String(r?.flash_attn)] ?? r?.flash_attn;
    if (r) settings.add(`KV cache ${r.type_k}/${r.type_v}, flash attention ${fa}, batch ${r.n_batch}/${r.n_ubatch}, `
        + `load mode ${r.load_mode ?? (r.use_mmap ? "mmap" : "?")}, ${r.n_threads} threads, backend ${r.backends}`);
    if (co?.weight_bytes_per_token && co.weight_bytes_per_token !== m.perToken) {
        console.error(`note: coach counts ${co.weight_bytes_per_token} weight bytes per token for ${m.name}; the table uses `
            + `${m.perToken} (every tensor but token_embd.weight) for both engines`);
    }
}

// how fast a prompt could be read if every multiply-add ran at the JVM's float FMA peak (one per weight per token)
const fma = json("fmapeak.json");
const peakOf = n => fma?.peak?.find(p => p.threads === n)?.median_gfmas ?? null;
const peak = peakOf(threads);
const ceilingHeader = ["model", "multiply-adds per prompt token", `llama.cpp pp${pp} multiply-adds/s`,
    "as a share of the float FMA peak", `coach pp${pp} t/s at the FMA peak`, `llama.cpp pp${pp} t/s`, `coach pp${pp} t/s`,
    "coach's share of the FMA peak"];
const ceilingRows = [];
for (const {m, lpp, cpp} of prompts) {
    if (!m.promptMacs) continue;
    const g = x => `${(x / 1e9).toFixed(0)} G`;
    ceilingRows.push([m.type.toUpperCase(), `${(m.promptMacs / 1e6).toFixed(0)} M`, lpp ? g(lpp.median * m.promptMacs) : dash,
        lpp && peak ? pct(lpp.median * m.promptMacs / (peak * 1e9)) : dash,
        peak ? (peak * 1e9 / m.promptMacs).toFixed(1) : dash, lpp ? lpp.median.toFixed(1) : dash,
        cpp ? cpp.median.toFixed(1) : dash, cpp && peak ? pct(cpp.median * m.promptMacs / (peak * 1e9)) : dash]);
}

const line = cells => `| ${cells.join(" | ")} |`;
const out = [line(header), line(header.map((_, i) => i === 0 ? "---" : "---:")), ...rows.map(line)];
out.push("");
out.push(`t/s: median (min–max) over the repetitions; ratios are coach / llama.cpp (of the medians). `
    + `Read bandwidth (membw, ${threads} threads, median of ${bwPasses(threads).length} passes before and after): ${bw ?? "?"} GB/s`
    + (readBw(1) != null && threads !== 1 ? `; 1 thread: ${readBw(1)} GB/s.` : "."));
out.push(`Machine: ${context.cpu ?? "?"}, ${context.cpus ?? "?"} CPUs; ${context.date ?? ""}; llama.cpp ${context.llamacpp ?? "?"}; `
    + `coach ${context.coach_commit ?? "?"}; ${context.java ?? ""}.`);
if (settings.size) out.push(`llama-bench settings: ${[...settings].join("; ")}.`);
for (const when of ["before", "after"]) {
    const l = text(`membw-${when}.load`);
    if (l != null) loads.push(`membw (${when} the engines) ${l.replace(/\n/g, "; ")}`);
}
if (loads.length) out.push(`Other work on the CPUs (before: a 5 s sample and the 1-minute load average): ${loads.join("; ")}.`);
if (ceilingRows.length && peak) {
    out.push("");
    out.push(`What float arithmetic allows for prompts (the JVM's float multiply-add peak, FmaPeak, ${fma.species}: `
        + `${peak} G/s with ${threads} threads` + (threads !== 1 && peakOf(1) ? `, ${peakOf(1)} G/s with 1` : "") + "):");
    out.push("");
    out.push(line(ceilingHeader), line(ceilingHeader.map((_, i) => i === 0 ? "---" : "---:")), ...ceilingRows.map(line));
    const fl = text("fmapeak.load")?.replace(/\n/g, "; ");
    if (fl) out.push("", `FmaPeak ${fl}.`);
}
console.log(out.join("\n"));
