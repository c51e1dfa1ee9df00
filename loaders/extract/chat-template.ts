/**
 * Questions inside a model's chat template, for knowledge-boundary probes read where the paper
 * reads them ("Analyzing LLMs' Knowledge Boundary Cognition Across Languages Through the Lens of
 * Internal Representations", ACL 2025).
 *
 * The template is the one in `tokenizer_config.json` (`chat_template`: a string, or a list of named
 * templates of which "default" is taken), rendered by transformers.js's `apply_chat_template`
 * (@huggingface/jinja, with the special tokens bos_token, eos_token, ... passed as transformers
 * passes them) for a single user turn with the generation prompt added.
 *
 * Reading position: the question's last token inside the template, not the prompt's last token.
 * The paper's code renders the template with the generation prompt and reads position -6 of the
 * left-padded batch; for the Qwen2.5 (ChatML) and Llama 3 templates it used, the 5 tokens after
 * the question are the end-of-turn token and the assistant header (`<|im_end|>`, `\n`,
 * `<|im_start|>`, `assistant`, `\n`; `<|eot_id|>`, `<|start_header_id|>`, `assistant`,
 * `<|end_header_id|>`, `\n\n`), so -6 is the question's last token. A decoder's state at a token
 * depends only on the tokens up to it, so the rendered prompt cut right after the question gives
 * that very state at its last token: extraction with pooling "last" reads it from the cut text.
 * (The paper also adds the system turn "You are a helpful assistant."; see `PAPER_SYSTEM_PROMPT`.)
 */
import type {PreTrainedTokenizer} from "@huggingface/transformers";
import type {TextItem} from "../types.js";
import {findLayout, loadTokenizer} from "./tokenize.js";

/** The system turn of the paper's code, for `RenderOptions.system`. */
export const PAPER_SYSTEM_PROMPT = "You are a helpful assistant.";

export const NO_TEMPLATE_NOTE = "no chat template: the bare question's last token";
export const TEMPLATE_NOTE = "chat template, one user turn with the generation prompt: the question's last token inside the template";

export interface RenderOptions {
  /** A system turn before the question (default none: the template's own default, if it has one). */
  system?: string;
}

export interface ChatPrompt {
  /** The whole rendered prompt, ending with the generation prompt (the assistant header). */
  prompt: string;
  /**
   * The prompt up to and including the question: its last token is the reading position. Written
   * for the model's tokenizer with special tokens added, as extraction tokenises: a BOS that the
   * template writes and the tokenizer adds again is left out, so the tokens are those of
   * `apply_chat_template(..., tokenize: true)`, which adds none.
   */
  text: string;
}

export interface RenderedQuestions<T extends TextItem> {
  /** The items with `text` replaced by `ChatPrompt.text` (unchanged without a template). */
  items: T[];
  /** Whether the model has a chat template. */
  templated: boolean;
  /** Where the hidden state is read, in words, for the report. */
  note: string;
}

function hasChatTemplate(tokenizer: PreTrainedTokenizer): boolean {
  return tokenizer.chat_template !== null && tokenizer.chat_template !== undefined;
}

/** One question inside the tokenizer's chat template. Throws when the tokenizer has no template. */
export function renderPrompt(tokenizer: PreTrainedTokenizer, question: string, options: RenderOptions = {}): ChatPrompt {
  const messages = [...(options.system === undefined ? [] : [{role: "system", content: options.system}]), {role: "user", content: question}];
  const prompt = tokenizer.apply_chat_template(messages, {tokenize: false, add_generation_prompt: true}) as string;
  // Templates may trim the content (Llama 3, Gemma 3); the last occurrence is the user turn's.
  const found = [question, question.trim()].map((q) => ({q, at: prompt.lastIndexOf(q)})).find(({at}) => at >= 0);
  if (!found) throw new Error(`chat template: the question ${JSON.stringify(question)} does not appear in the rendered prompt ${JSON.stringify(prompt)}`);
  const upToQuestion = prompt.slice(0, found.at + found.q.length);
  // The cut must not change how the question's tokens are split: the template's next token must start a new one.
  const whole = tokenizer.encode(prompt, {add_special_tokens: false});
  if (!tokenizer.encode(upToQuestion, {add_special_tokens: false}).every((id, t) => whole[t] === id)) {
    throw new Error(`chat template: the prompt cut after the question is not a prefix of the whole prompt's tokens (${JSON.stringify(upToQuestion)})`);
  }
  return {prompt, text: withoutRepeatedPrefix(tokenizer, upToQuestion)};
}

/**
 * The text without the special tokens that the tokenizer adds in front of every text, when the
 * template wrote them already (Gemma's and Llama 3's `{{ bos_token }}`): the tokenizer adds them
 * back, once. A tokenizer that appends special tokens (an EOS) is refused: the last token would be
 * that, not the question's.
 */
function withoutRepeatedPrefix(tokenizer: PreTrainedTokenizer, text: string): string {
  const plain = tokenizer.encode(text, {add_special_tokens: false});
  const withSpecials = tokenizer.encode(text);
  const layout = findLayout(withSpecials, plain);
  if (!layout || layout.suffix > 0) throw new Error("chat template: the tokenizer adds special tokens after the text, so the last token would not be the question's");
  const added = withSpecials.slice(0, layout.prefix);
  // Tokens the tokenizer adds and the template does not write stay, as tokenizer(rendered prompt) keeps them.
  if (added.length === 0 || !added.every((id, t) => plain[t] === id)) return text;
  const addedText = tokenizer.decode(added, {skip_special_tokens: false});
  if (!text.startsWith(addedText)) throw new Error(`chat template: the prompt starts with the tokens of ${JSON.stringify(addedText)} but not with that text`);
  return text.slice(addedText.length);
}

/**
 * The items' questions rendered inside the model's chat template (see `renderPrompt`), or
 * unchanged with a note when the model has none (the embedded model, encoders). The result is
 * another dataset: name it with `chatTemplateDatasetName`.
 */
export async function renderQuestions<T extends TextItem>(modelDir: string, items: readonly T[], options: RenderOptions = {}): Promise<RenderedQuestions<T>> {
  const tokenizer = await loadTokenizer(modelDir);
  if (!hasChatTemplate(tokenizer)) return {items: [...items], templated: false, note: NO_TEMPLATE_NOTE};
  const note = options.system === undefined ? TEMPLATE_NOTE : `${TEMPLATE_NOTE}, after the system turn ${JSON.stringify(options.system)}`;
  return {items: items.map((item) => ({...item, text: renderPrompt(tokenizer, item.text, options).text})), templated: true, note};
}
