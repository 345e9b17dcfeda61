import { MAX_COMMENT_CHARS, renderMarkdown, renderPlanText, reviewPlan } from "../../plan-review";
import { realPlan } from "./fixtures";

describe("rendering a review", () => {
  it("renders the plan from JSON in Terraform's words when no text is given", () => {
    const text = renderPlanText(reviewPlan(realPlan("replace")));
    expect(text).toMatch(
      /^# genesyscloud_webdeployments_deployment\.Channel_Shard001_Deployment_\w+ will be replaced \(replace_by_request\)\n/,
    );
    expect(text).toContain('    id: "');
    expect(text).toContain("→ (known after apply)");
    expect(text.trimEnd().split("\n").pop()).toBe("Plan: 1 to add, 0 to change, 1 to destroy.");
  });

  it("fences a plan that contains backticks with a longer fence", () => {
    const md = renderMarkdown(reviewPlan(realPlan("no-change")), {
      allowed: false,
      planText: "a ``` b\n",
    });
    expect(md).toContain("````text\na ``` b\n````\n\n</details>\n");
  });

  it("cuts a long plan to whole lines so the comment fits GitHub's limit", () => {
    const planText = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n");
    const md = renderMarkdown(reviewPlan(realPlan("scale-down")), { allowed: false, planText });
    expect(md.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(md).toMatch(
      /\nline \d+ x+\n\.\.\. \d+ more lines cut to fit a comment \(`terraform show` of the saved plan has them\)\n```\n\n<\/details>\n$/,
    );
  });

  it("says the queue groups added next to the shards, as ranges", () => {
    const md = renderMarkdown(reviewPlan(realPlan("queue-groups-grow")), { allowed: false });
    expect(md).toContain(
      "- Shards: 9 → 11\n- Shards 009–010 added\n- Queue groups: 2 → 3\n- Queue group 002 added\n",
    );
  });

  it("says the shards left and the timeouts changed", () => {
    const md = renderMarkdown(reviewPlan(realPlan("data-action-timeout")), { allowed: false });
    expect(md).toContain("**Data Action timeouts**\n\n- `Dev CustomerLookup`: 5 s → 10 s\n");
  });
});
