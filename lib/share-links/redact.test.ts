import { describe, expect, it } from "vitest";
import { redactPeople } from "./redact";

const people = [
  { name: "Remy Responder", email: "responder@backout.demo" },
  { name: "Remy", email: "remy@elsewhere.test" },
  { name: "Rita Release", email: "rm@backout.demo" },
];

describe("redactPeople", () => {
  it("replaces names and emails wherever they are, whole names before their parts", () => {
    expect(redactPeople("Remy Responder updated user impact", people)).toBe("Someone updated user impact");
    expect(redactPeople("Approved by Rita Release (rm@backout.demo)", people)).toBe("Approved by someone (someone)");
    expect(redactPeople("Remy asked Rita Release. Remy Responder agreed", people)).toBe("Someone asked someone. Someone agreed");
  });

  it("ignores case and leaves text without people as it is", () => {
    expect(redactPeople("REMY RESPONDER stopped step 2", people)).toBe("Someone stopped step 2");
    expect(redactPeople("The error rate is back to baseline", people)).toBe("The error rate is back to baseline");
    expect(redactPeople("Anything", [])).toBe("Anything");
  });

  it("replaces whole words only", () => {
    expect(redactPeople("Also Al said so", [{ name: "Al", email: "al@x.test" }])).toBe("Also someone said so");
  });

  it("takes names literally, not as patterns", () => {
    expect(redactPeople("a.b+c said hi to abbc", [{ name: "a.b+c", email: "x@y.z" }])).toBe("Someone said hi to abbc");
  });
});
