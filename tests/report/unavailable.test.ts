import {describe, expect, test} from "vitest";
import {FIXES, unavailableNotice} from "../../loaders/report/unavailable.js";

describe("unavailableNotice", () => {
  test("says the reason once: without the model's name before it or the log's '; skipped' after it", () => {
    const notice = unavailableNotice({
      model: "Xenova/multilingual-e5-small", status: "skipped", failure: "offline",
      reason: "Xenova/multilingual-e5-small: cannot reach the model hub at http://127.0.0.1:9 (bad port); skipped"
    });
    expect(notice.cause).toBe("cannot reach the model hub at http://127.0.0.1:9 (bad port)");
    expect(notice.fix).toBe(FIXES.offline);
    expect(notice.fix).toContain("BABELSCOPE_HUB");
  });

  test("the fix follows the kind of failure; an error that is no ModelError points to the build log", () => {
    expect(unavailableNotice({model: "a/b", status: "failed", failure: "unauthorized", reason: "a/b: the hub refused config.json (HTTP 401)"}).fix).toContain("HF_TOKEN");
    const other = unavailableNotice({model: "a/b", status: "failed", reason: "a/b: a/b: out of memory"});
    expect(other.cause).toBe("out of memory");
    expect(other.fix).toBe(FIXES.other);
  });
});
