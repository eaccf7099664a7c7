/**
 * Chat templates for the local engine: turning a conversation into the prompt text a model was trained on.
 *
 * <p>Entry point: {@link dev.coach.engine.chat.ChatTemplate#forModel(java.util.Map)} with a GGUF file's metadata,
 * then {@link dev.coach.engine.chat.ChatTemplate#render(java.util.List, boolean)}.
 *
 * <p><b>Model files' own templates</b> are Hugging Face Jinja2 templates, rendered with Jinjava the way
 * transformers' {@code apply_chat_template} renders them. Jinjava reads templates differently from Python Jinja2 in
 * many places; {@code JinjaSource} (a translation of the template text), {@code PyExpressions} (Python rules in the
 * expression language), {@code PyMethods} (Python string methods and slicing) and the filters and functions
 * registered by {@code JinjaTemplate} make them agree. Checked against Python Jinja2 in Hugging Face's environment
 * on every template in llama.cpp's {@code models/templates} collection (71 models, with and without tools) and on
 * randomly generated templates and expressions. Known differences that remain, none used by the chat templates
 * seen so far:
 * <ul>
 *   <li>Jinjava has one null for Jinja2's None and undefined. It is treated as undefined: it prints as "" (Jinja2
 *       prints None as "None"), {@code x is defined} is false for a variable set to none, and variables a caller
 *       does not give ({@code tools}, {@code documents}) are undefined rather than None.</li>
 *   <li>Where Jinja2 raises on an undefined value (an attribute of it, iterating it), rendering goes on.</li>
 *   <li>Not supported: {@code *} on strings and lists, {@code %} string formatting, chained comparisons
 *       ({@code a < b < c}), a filter after a test ({@code x is t|f}), comparing lists with {@code <},
 *       {@code {% with %}}, recursive loops, {@code loop.changed}.</li>
 *   <li>{@code |safe} strings do not escape what is added to them (Jinja2's Markup does).</li>
 *   <li>Lists can be changed in place ({@code .append}); Hugging Face's sandbox refuses that.</li>
 * </ul>
 *
 * <p><b>Files without a template</b> get one of llama.cpp's built-in formats (llama3, chatml, gemma, phi3,
 * mistral), written in Java and checked against llama.cpp's own output.
 */
package dev.coach.engine.chat;
