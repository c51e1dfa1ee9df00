// Observable Framework configuration. Pages live in src/; their data loaders (src/data/*.ts) are thin
// entry points into the library in loaders/ (see README, "Architecture").
export default {
  title: "Babelscope",
  root: "src",
  output: "dist",
  pages: [{name: "Overview", path: "/"}],
  head: '<meta name="description" content="Babelscope: cross-lingual representations of multilingual language models">',
  footer: "Built with Babelscope and Observable Framework.",
  search: false
};
