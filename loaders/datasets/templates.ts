/**
 * Question templates written per language by the project (not machine-translated). `{X}` is the
 * country name as CLDR gives it in that language. Each template is phrased so the name needs no
 * inflection or article ("the country X", genitive particles, topic-first forms), so CLDR's citation
 * forms fit. Statements are the question followed by an answer.
 */
import type {Relation} from "./facts.js";

export interface LanguageTemplates {
  questions: Record<Relation, string>;
  /** Between the question and the answer of a statement. */
  answerSeparator: string;
  /** After the answer of a statement. */
  stop: string;
}

export const TEMPLATES: Readonly<Record<string, LanguageTemplates>> = {
  eng: {
    questions: {
      capital: "What is the capital of {X}?", currency: "What is the currency of {X}?",
      language: "What is the official language of {X}?", continent: "On which continent is {X}?"
    },
    answerSeparator: " ", stop: "."
  },
  fra: {
    questions: {
      capital: "Quelle est la capitale du pays {X} ?", currency: "Quelle est la monnaie du pays {X} ?",
      language: "Quelle est la langue officielle du pays {X} ?", continent: "Sur quel continent se trouve le pays {X} ?"
    },
    answerSeparator: " ", stop: "."
  },
  deu: {
    questions: {
      capital: "Was ist die Hauptstadt des Landes {X}?", currency: "Was ist die Währung des Landes {X}?",
      language: "Was ist die Amtssprache des Landes {X}?", continent: "Auf welchem Kontinent liegt das Land {X}?"
    },
    answerSeparator: " ", stop: "."
  },
  spa: {
    questions: {
      capital: "¿Cuál es la capital del país {X}?", currency: "¿Cuál es la moneda del país {X}?",
      language: "¿Cuál es el idioma oficial del país {X}?", continent: "¿En qué continente está el país {X}?"
    },
    answerSeparator: " ", stop: "."
  },
  por: {
    questions: {
      capital: "Qual é a capital do país {X}?", currency: "Qual é a moeda do país {X}?",
      language: "Qual é a língua oficial do país {X}?", continent: "Em que continente fica o país {X}?"
    },
    answerSeparator: " ", stop: "."
  },
  tur: {
    questions: {
      capital: "{X} ülkesinin başkenti neresidir?", currency: "{X} ülkesinin para birimi nedir?",
      language: "{X} ülkesinin resmî dili nedir?", continent: "{X} ülkesi hangi kıtadadır?"
    },
    answerSeparator: " ", stop: "."
  },
  vie: {
    questions: {
      capital: "Thủ đô của {X} là gì?", currency: "Đơn vị tiền tệ của {X} là gì?",
      language: "Ngôn ngữ chính thức của {X} là gì?", continent: "{X} nằm ở châu lục nào?"
    },
    answerSeparator: " ", stop: "."
  },
  ind: {
    questions: {
      capital: "Apa ibu kota negara {X}?", currency: "Apa mata uang negara {X}?",
      language: "Apa bahasa resmi negara {X}?", continent: "Negara {X} terletak di benua apa?"
    },
    answerSeparator: " ", stop: "."
  },
  swh: {
    questions: {
      capital: "Mji mkuu wa {X} ni upi?", currency: "Sarafu ya {X} ni ipi?",
      language: "Lugha rasmi ya {X} ni ipi?", continent: "{X} iko katika bara gani?"
    },
    answerSeparator: " ", stop: "."
  },
  rus: {
    questions: {
      capital: "Какая столица у страны {X}?", currency: "Какая валюта в стране {X}?",
      language: "Какой официальный язык в стране {X}?", continent: "На каком континенте находится страна {X}?"
    },
    answerSeparator: " ", stop: "."
  },
  arb: {
    questions: {
      capital: "ما عاصمة دولة {X}؟", currency: "ما عملة دولة {X}؟",
      language: "ما اللغة الرسمية في دولة {X}؟", continent: "في أي قارة تقع دولة {X}؟"
    },
    answerSeparator: " ", stop: "."
  },
  hin: {
    questions: {
      capital: "{X} देश की राजधानी क्या है?", currency: "{X} देश की मुद्रा क्या है?",
      language: "{X} देश की आधिकारिक भाषा क्या है?", continent: "{X} देश किस महाद्वीप में है?"
    },
    answerSeparator: " ", stop: "।"
  },
  // Thai writes no question mark and no space inside a sentence; a space ends it.
  tha: {
    questions: {
      capital: "เมืองหลวงของประเทศ{X}คือเมืองใด", currency: "สกุลเงินของประเทศ{X}คืออะไร",
      language: "ภาษาราชการของประเทศ{X}คือภาษาอะไร", continent: "ประเทศ{X}ตั้งอยู่ในทวีปใด"
    },
    answerSeparator: " ", stop: ""
  },
  kor: {
    questions: {
      capital: "{X}의 수도는 어디입니까?", currency: "{X}의 통화는 무엇입니까?",
      language: "{X}의 공용어는 무엇입니까?", continent: "{X}의 위치는 어느 대륙입니까?"
    },
    answerSeparator: " ", stop: "."
  },
  jpn: {
    questions: {
      capital: "{X}の首都はどこですか？", currency: "{X}の通貨は何ですか？",
      language: "{X}の公用語は何ですか？", continent: "{X}はどの大陸にありますか？"
    },
    answerSeparator: "", stop: "。"
  },
  cmn_hans: {
    questions: {
      capital: "{X}的首都是哪里？", currency: "{X}的货币是什么？",
      language: "{X}的官方语言是什么？", continent: "{X}位于哪个大洲？"
    },
    answerSeparator: "", stop: "。"
  }
};

/** A question in `lang` about the country named `name`. */
export function renderQuestion(lang: string, relation: Relation, name: string): string {
  const t = TEMPLATES[lang];
  if (!t) throw new Error(`no question templates for language "${lang}"; have: ${Object.keys(TEMPLATES).join(", ")}`);
  return t.questions[relation].replace("{X}", name);
}

/** A statement: the question followed by a (right or wrong) answer. */
export function renderStatement(lang: string, relation: Relation, name: string, answer: string): string {
  const {answerSeparator, stop} = TEMPLATES[lang];
  return renderQuestion(lang, relation, name) + answerSeparator + answer + stop;
}
