package dev.coach.download;

/**
 * One model in coach's download catalogue: where the file is, its exact size and sha256, and what it is.
 *
 * @param name         the short name users type ({@code coach model download qwen2.5-1.5b}); also the saved file's name
 * @param title        a readable name
 * @param architecture the GGUF {@code general.architecture} of the file
 * @param quantization the weight type mix, as named by llama.cpp (Q4_K_M, Q8_0, ...)
 * @param url          a Hugging Face {@code resolve/main} link
 * @param bytes        the file's exact size
 * @param sha256       the file's sha256, lower-case hex
 * @param licence      the licence identifier on the model card
 * @param description  one line for {@code --list}
 * @param revision     the repository commit the sources pinned, or null when they did not say
 * @param source       where the size and sha256 were found
 */
public record CatalogEntry(String name, String title, String architecture, String quantization, String url, long bytes,
                           String sha256, String licence, String description, String revision, String source) {

    /** The name the file is saved under. */
    public String fileName() {
        return name + ".gguf";
    }
}
