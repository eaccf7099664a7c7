package dev.coach.cli;

import dev.coach.download.CatalogEntry;
import dev.coach.download.ChecksumMismatchException;
import dev.coach.download.DownloadException;
import dev.coach.download.DownloadResult;
import dev.coach.download.DownloadSettings;
import dev.coach.download.DownloadSpec;
import dev.coach.download.ModelCatalog;
import dev.coach.download.ModelDirectory;
import dev.coach.download.ModelDownloader;
import dev.coach.download.ProgressBar;
import dev.coach.download.ProgressLines;
import dev.coach.download.ProgressListener;
import dev.coach.download.Sizes;
import dev.coach.engine.gguf.GgufException;
import dev.coach.engine.gguf.GgufFile;
import dev.coach.engine.gguf.GgufReader;
import dev.coach.engine.gguf.ModelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/** {@code coach model download NAME|URL}: fetch a GGUF model, resumably, and check it before keeping it. */
@Command(name = "download", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Download a GGUF model for coach's own engine: a NAME from the catalogue (see --list) or the URL of any GGUF file.",
                "Files go to $XDG_DATA_HOME/coach/models (normally ~/.local/share/coach/models); --dir chooses another directory. "
                        + "The bytes are first written to NAME.gguf.part; an interrupted download (Ctrl-C, a dropped connection) resumes "
                        + "where it stopped when you run the same command again. Dropped connections and server errors are retried "
                        + "a few times with a growing wait.",
                "Catalogue models are checked against their published size and sha256, and get their final name only when both "
                        + "match; on a mismatch the partial file is deleted. A URL is saved under the last part of its path; give "
                        + "--sha256 HEX to check it, otherwise it is saved unverified (and you are told so). A file already "
                        + "downloaded and matching is not downloaded again.",
                "HF_TOKEN, when set, is sent to huggingface.co as a bearer token (for gated models) and to no other host; it is never "
                        + "printed. HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured (proxies that need a password are not).",
                "Exit codes: 0 saved or already there; 1 the file is not the expected one (size or sha256 differ); 2 usage "
                        + "(unknown name, bad URL or --sha256); 3 the download failed (network, server or disk; run it again to resume)."})
public class ModelDownloadCommand implements Callable<Integer> {
    /** How progress is shown. */
    enum Progress { bar, lines, none }

    @Parameters(arity = "0..1", paramLabel = "NAME|URL", description = "A model from the catalogue, or an http(s) URL of a GGUF file.")
    String what;
    @Option(names = "--list", description = "Show the catalogue: names, architectures, weight types, sizes and licences.")
    boolean list;
    @Option(names = "--dir", paramLabel = "DIR", description = "Save into DIR instead of the user data directory.")
    Path dir;
    @Option(names = "--sha256", paramLabel = "HEX", description = "With a URL: the file's sha256; the file is kept only if it matches.")
    String sha256;
    @Option(names = "--force", description = "Download again even if the file is already there; it is replaced once the new copy is verified.")
    boolean force;
    @Option(names = {"-q", "--quiet"}, description = "Print no progress and no summary; errors and warnings still go to stderr.")
    boolean quiet;
    @Option(names = "--progress", paramLabel = "STYLE",
            description = "bar, lines or none (default: a bar redrawn in place on a terminal, a line every 10%% otherwise).")
    Progress progress;
    @Option(names = "--json", description = "Print one JSON object at the end (path, bytes, sha256, verified, resumed_from, ...); "
            + "with --list, the catalogue as JSON.")
    boolean json;
    @Spec
    CommandSpec spec;

    /** The environment (HF_TOKEN, proxies, XDG_DATA_HOME); tests replace it. */
    Map<String, String> env = System.getenv();
    /** Null for the defaults from {@link #env}; tests set short timeouts and a recording sleeper. */
    DownloadSettings settings;
    /** Null for the catalogue shipped with coach. */
    ModelCatalog catalog;
    /** Null to ask the console; tests force it. */
    Boolean terminal;
    LongSupplier clock = System::nanoTime;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelCatalog cat = catalog != null ? catalog : ModelCatalog.builtIn();
        Path into = dir != null ? dir : ModelDirectory.defaultDirectory(env);
        if (list) {
            if (what != null) {
                throw new UsageException("give either --list or a model to download, not both");
            }
            return list(cat, into, out);
        }
        if (what == null || what.isBlank()) {
            throw new UsageException("say which model to download: a name from 'coach model download --list', or the URL of a GGUF file");
        }
        DownloadSpec download = resolve(cat);
        Path part = ModelDownloader.partFile(download, into);
        Thread hook = new Thread(() -> {
            err.println();
            err.println("coach: interrupted; what was downloaded is kept in " + part + " — run the same command again to resume");
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        DownloadResult r;
        try {
            r = new ModelDownloader(settings != null ? settings : DownloadSettings.defaults(env)).download(download, into, force, listener(err));
        } catch (ChecksumMismatchException e) {
            err.println("coach: " + e.getMessage());
            err.flush();
            return ExitCode.CHECK_FAILED;
        } catch (DownloadException e) {
            err.println("coach: download failed: " + e.getMessage());
            err.flush();
            return ExitCode.BACKEND;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook tells the user
            }
        }
        report(download, r, out, err);
        return ExitCode.OK;
    }

    private DownloadSpec resolve(ModelCatalog cat) {
        String w = what.trim();
        if (w.contains("://")) {
            try {
                return DownloadSpec.forUrl(w, sha256);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        CatalogEntry e = cat.find(w).orElseThrow(() -> {
            List<String> near = cat.similar(w);
            return new UsageException("there is no model called '" + w + "' in the catalogue"
                    + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?")
                    + " 'coach model download --list' shows the catalogue, or give the https:// URL of a GGUF file");
        });
        if (sha256 != null) {
            throw new UsageException("--sha256 is for URLs; catalogue models carry their own checksum (" + e.name() + ": " + e.sha256() + ")");
        }
        return DownloadSpec.of(e);
    }

    private ProgressListener listener(PrintWriter err) {
        Progress style = quiet ? Progress.none : progress != null ? progress : onTerminal() ? Progress.bar : Progress.lines;
        return switch (style) {
            case bar -> new ProgressBar(err, Terminal.width(), clock);
            case lines -> new ProgressLines(err, clock);
            case none -> ProgressListener.NONE;
        };
    }

    private boolean onTerminal() {
        if (terminal != null) {
            return terminal;
        }
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    private void report(DownloadSpec download, DownloadResult r, PrintWriter out, PrintWriter err) {
        String problem = r.notes().isEmpty() ? engineProblem(r.path()) : r.notes().getFirst();
        for (String note : r.notes()) {
            err.println("coach: warning: " + note);
        }
        if (r.notes().isEmpty() && problem != null) {
            err.println("coach: warning: coach's engine cannot run this file: " + problem);
        }
        if (!r.verified()) {
            err.println("coach: warning: " + r.path().getFileName() + " was not verified: no checksum was given (pass --sha256 HEX to check it); "
                    + "its sha256 is " + r.sha256());
        }
        err.flush();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", download.label());
            doc.put("url", display(download));
            doc.put("path", r.path().toAbsolutePath().toString());
            doc.put("bytes", r.bytes());
            doc.put("sha256", r.sha256());
            doc.put("verified", r.verified());
            doc.put("resumed_from", r.resumedFrom());
            doc.put("already_present", r.alreadyPresent());
            doc.put("runnable", problem == null);
            doc.put("problem", problem);
            Json.print(out, doc);
            return;
        }
        if (quiet) {
            return;
        }
        String check = r.verified() ? "sha256 verified" : "not verified";
        if (r.alreadyPresent()) {
            out.printf(Locale.ROOT, "%s is already in %s (%s, %s); nothing to download.%n", r.path().getFileName(),
                    r.path().toAbsolutePath().getParent(), Sizes.human(r.bytes()), check);
        } else {
            out.printf(Locale.ROOT, "Saved %s in %s (%s, %s%s).%n", r.path().getFileName(), r.path().toAbsolutePath().getParent(),
                    Sizes.human(r.bytes()), check, r.resumedFrom() > 0 ? "; resumed at " + Sizes.human(r.resumedFrom()) : "");
        }
        if (problem == null) {
            out.println("Try it: coach model chat " + r.path().toAbsolutePath());
        }
        out.flush();
    }

    /** Why coach's engine cannot run the file, or null when it can. */
    static String engineProblem(Path file) {
        try (GgufFile f = GgufReader.open(file)) {
            ModelInfo.check(f);
            return null;
        } catch (GgufException e) {
            return e.getMessage();
        }
    }

    /** The address without its query string (signed links carry secrets there). */
    private static String display(DownloadSpec d) {
        java.net.URI u = d.url();
        return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "") + u.getRawPath();
    }

    private int list(ModelCatalog cat, Path into, PrintWriter out) {
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (CatalogEntry e : cat.entries()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", e.name());
                row.put("title", e.title());
                row.put("architecture", e.architecture());
                row.put("quantization", e.quantization());
                row.put("bytes", e.bytes());
                row.put("sha256", e.sha256());
                row.put("licence", e.licence());
                row.put("url", e.url());
                row.put("revision", e.revision());
                row.put("description", e.description());
                row.put("source", e.source());
                row.put("file", into.resolve(e.fileName()).toAbsolutePath().toString());
                row.put("downloaded", downloaded(e, into));
                rows.add(row);
            }
            Json.print(out, rows);
            return ExitCode.OK;
        }
        int width = Terminal.width();
        int nameWidth = Math.max(4, cat.entries().stream().mapToInt(e -> e.name().length()).max().orElse(4)) + 1;
        String format = "%-" + nameWidth + "s %-7s %-7s %9s  %-14s %s";
        out.println(Terminal.truncate(String.format(Locale.ROOT, format, "NAME", "ARCH", "WEIGHTS", "SIZE", "LICENCE", "ABOUT"), width));
        boolean any = false;
        for (CatalogEntry e : cat.entries()) {
            boolean have = downloaded(e, into);
            any |= have;
            out.println(Terminal.truncate(String.format(Locale.ROOT, format, e.name() + (have ? "*" : ""), e.architecture(), e.quantization(),
                    Sizes.human(e.bytes()), e.licence(), e.description()), width));
        }
        out.println();
        if (any) {
            out.println("* already downloaded in " + into.toAbsolutePath());
        }
        out.println("Download one with: coach model download NAME");
        out.println("Files go to " + into.toAbsolutePath());
        out.flush();
        return ExitCode.OK;
    }

    private static boolean downloaded(CatalogEntry e, Path into) {
        Path p = into.resolve(e.fileName());
        try {
            return Files.isRegularFile(p) && Files.size(p) == e.bytes();
        } catch (java.io.IOException ex) {
            return false;
        }
    }
}
