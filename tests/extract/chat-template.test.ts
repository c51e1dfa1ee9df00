/**
 * Questions inside chat templates: hand-written ChatML (Qwen2-style, with a default system turn)
 * and Llama-3-style templates on the fixture tokenizer with their special tokens added, whose
 * prompts are written out here by hand as Hugging Face renders them; and the real templates that
 * ship with the Qwen3, Llama 3 and Gemma 3 tokenizers in npm, where the cut text's last token must
 * be the token the paper's code reads (position -6 of the whole prompt).
 */
import {readFileSync, writeFileSync} from "node:fs";
import {join, resolve} from "node:path";
import type {PreTrainedTokenizer} from "@huggingface/transformers";
import {describe, expect, it} from "vitest";
import {NO_TEMPLATE_NOTE, PAPER_SYSTEM_PROMPT, renderPrompt, renderQuestions, TEMPLATE_NOTE} from "../../loaders/extract/chat-template.js";
import {chatTemplateDatasetName} from "../../loaders/extract/settings.js";
import {npmTokenizerDir, type NpmTokenizer} from "../../loaders/extract/token-counts.js";
import {loadTokenizer} from "../../loaders/extract/tokenize.js";
import type {TextItem} from "../../loaders/types.js";
import {tempDir} from "../helpers/tmp.js";

const FIXTURE = resolve("tests/fixtures/models/tiny-llama");
const QUESTION = "What is the capital of Albania?";

// Qwen2-Instruct's template: a default system turn when the conversation has none.
const CHATML =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}" +
  "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
// Meta-Llama-3-Instruct's template: the BOS comes from the bos_token variable, contents are trimmed.
const LLAMA3 =
  "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}" +
  "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

interface FixtureOptions {
  chatTemplate: unknown;
  specials: string[];
  bosToken?: string;
  /** A post-processor that puts the BOS in front of every text, as Llama 3's tokenizer.json does. */
  addsBos?: boolean;
}

/** The byte-level BPE fixture tokenizer with a chat template and its special tokens. */
function templatedTokenizerDir({chatTemplate, specials, bosToken, addsBos = false}: FixtureOptions): string {
  const dir = tempDir("chat-template");
  const tokenizer = JSON.parse(readFileSync(join(FIXTURE, "tokenizer.json"), "utf8"));
  const config = JSON.parse(readFileSync(join(FIXTURE, "tokenizer_config.json"), "utf8"));
  let next = Math.max(...tokenizer.added_tokens.map((t: {id: number}) => t.id)) + 1;
  for (const content of specials) tokenizer.added_tokens.push({id: next++, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true});
  if (addsBos) {
    const id = tokenizer.added_tokens.find((t: {content: string}) => t.content === bosToken).id;
    tokenizer.post_processor = {
      type: "TemplateProcessing",
      single: [{SpecialToken: {id: bosToken, type_id: 0}}, {Sequence: {id: "A", type_id: 0}}],
      pair: [{SpecialToken: {id: bosToken, type_id: 0}}, {Sequence: {id: "A", type_id: 0}}, {Sequence: {id: "B", type_id: 1}}],
      special_tokens: {[bosToken!]: {id: bosToken, ids: [id], tokens: [bosToken]}}
    };
  }
  writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(tokenizer));
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({...config, ...(bosToken ? {bos_token: bosToken} : {}), chat_template: chatTemplate}));
  return dir;
}

const chatmlDir = () => templatedTokenizerDir({chatTemplate: CHATML, specials: ["<|im_start|>", "<|im_end|>"]});
const llama3Dir = () =>
  templatedTokenizerDir({chatTemplate: LLAMA3, specials: ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"], bosToken: "<|begin_of_text|>", addsBos: true});

/** The last token of `text` as extraction tokenises it (special tokens added). */
const lastToken = (tokenizer: PreTrainedTokenizer, text: string) => tokenizer.encode(text).at(-1);

describe("renderPrompt", () => {
  it("renders a ChatML template with its default system turn and the generation prompt; the text ends with the question", async () => {
    const tokenizer = await loadTokenizer(chatmlDir());
    const {prompt, text} = renderPrompt(tokenizer, QUESTION);
    expect(prompt).toBe(`<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n${QUESTION}<|im_end|>\n<|im_start|>assistant\n`);
    expect(text).toBe(`<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n${QUESTION}`);
    const whole = tokenizer.encode(prompt, {add_special_tokens: false});
    const ids = tokenizer.encode(text);
    expect(whole.slice(0, ids.length)).toEqual(ids);
    expect(tokenizer.decode(whole.slice(ids.length))).toBe("<|im_end|>\n<|im_start|>assistant\n");
    expect(tokenizer.decode([ids.at(-1)!])).toBe("?");
  });

  it("puts a given system turn first, in place of the template's default", async () => {
    const tokenizer = await loadTokenizer(chatmlDir());
    expect(renderPrompt(tokenizer, QUESTION, {system: "Answer briefly."}).text).toBe(`<|im_start|>system\nAnswer briefly.<|im_end|>\n<|im_start|>user\n${QUESTION}`);
  });

  it("passes the BOS token to a Llama-3-style template, finds the trimmed question, and keeps a single BOS when the tokenizer adds one", async () => {
    const tokenizer = await loadTokenizer(llama3Dir());
    const {prompt, text} = renderPrompt(tokenizer, `  ${QUESTION} `);
    expect(prompt).toBe(`<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n${QUESTION}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`);
    // The tokenizer writes the BOS back: the ids are the template's, as apply_chat_template(tokenize: true) gives them.
    expect(text).toBe(`<|start_header_id|>user<|end_header_id|>\n\n${QUESTION}`);
    const templateIds = tokenizer.apply_chat_template([{role: "user", content: QUESTION}], {add_generation_prompt: true, return_tensor: false, return_dict: false}) as number[];
    const ids = tokenizer.encode(text);
    expect(ids).toEqual(templateIds.slice(0, ids.length));
    expect(ids.filter((id) => id === tokenizer.bos_token_id)).toHaveLength(1);
    expect(tokenizer.decode(templateIds.slice(ids.length))).toBe("<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
  });

  it('takes the "default" template of a list of named templates', async () => {
    const dir = templatedTokenizerDir({chatTemplate: [{name: "tool_use", template: "{{ 'tools' }}"}, {name: "default", template: CHATML}], specials: ["<|im_start|>", "<|im_end|>"]});
    expect(renderPrompt(await loadTokenizer(dir), QUESTION).prompt).toMatch(/^<\|im_start\|>system\n.*<\|im_start\|>assistant\n$/s);
  });

  // What the paper's code reads: tokens of the whole prompt (as apply_chat_template tokenises it), position -6.
  it.each(["qwen3", "llama3", "gemma3"] as NpmTokenizer[])("the cut text's last token is the question's, which the paper reads at -6 of the %s prompt", async (name) => {
    const tokenizer = await loadTokenizer(npmTokenizerDir(name));
    for (const question of [QUESTION, "Quelle est la capitale du pays Albanie ?", "阿尔巴尼亚的首都是哪里？", "ما هي عاصمة ألبانيا؟"]) {
      const {prompt, text} = renderPrompt(tokenizer, question);
      const whole = tokenizer.encode(prompt, {add_special_tokens: false});
      expect(lastToken(tokenizer, text), question).toBe(whole.at(-6));
      expect(tokenizer.encode(text), question).toEqual(whole.slice(0, tokenizer.encode(text).length));
    }
  }, 30_000);
});

describe("renderQuestions", () => {
  const items: TextItem[] = [
    {id: "q1", unit: "u1", lang: "eng", text: QUESTION, label: "known"},
    {id: "q2", unit: "u1", lang: "fra", text: "Quelle est la capitale du pays Albanie ?", label: "known"}
  ];

  it("replaces each item's text by its templated text and keeps the other fields", async () => {
    const dir = chatmlDir();
    const tokenizer = await loadTokenizer(dir);
    const rendered = await renderQuestions(dir, items);
    expect(rendered.templated).toBe(true);
    expect(rendered.note).toBe(TEMPLATE_NOTE);
    expect(rendered.items).toEqual(items.map((item) => ({...item, text: renderPrompt(tokenizer, item.text).text})));
    expect(rendered.items[1].text.endsWith("<|im_start|>user\nQuelle est la capitale du pays Albanie ?")).toBe(true);
  });

  it("says which system turn the questions follow", async () => {
    const rendered = await renderQuestions(llama3Dir(), items, {system: PAPER_SYSTEM_PROMPT});
    expect(rendered.note).toBe(`${TEMPLATE_NOTE}, after the system turn "You are a helpful assistant."`);
    expect(rendered.items[0].text).toBe(`<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n${QUESTION}`);
  });

  it("leaves the questions bare, with a note, for a model without a chat template (the embedded model)", async () => {
    const rendered = await renderQuestions(resolve("models/babelscope-tiny"), items);
    expect(rendered).toEqual({items, templated: false, note: NO_TEMPLATE_NOTE});
  });

  it("names the rendered dataset apart from the bare one", () => {
    expect(chatTemplateDatasetName("questions")).toBe("questions+chat-template");
  });
});
