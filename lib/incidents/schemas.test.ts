import { describe, expect, it } from "vitest";
import { declareIncidentSchema, incidentFiltersSchema, updateImpactSchema } from "./schemas";

const iso = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

const valid = {
  title: "Checkout errors after v2.5.0",
  serviceId: "svc_1",
  badVersion: "v2.5.0",
  previousVersion: "v2.4.0",
  severity: "SEV2",
  deployedAt: iso(30),
  detectedAt: iso(25),
  summary: "",
};

function fieldErrors(input: unknown) {
  const r = declareIncidentSchema.safeParse(input);
  return r.success ? {} : r.error.flatten().fieldErrors;
}

describe("declareIncidentSchema", () => {
  it("accepts a complete declaration", () => {
    expect(declareIncidentSchema.safeParse(valid).success).toBe(true);
  });

  it("names every missing field", () => {
    const errors = fieldErrors({});
    expect(Object.keys(errors).sort()).toEqual(
      ["badVersion", "deployedAt", "detectedAt", "previousVersion", "serviceId", "severity", "title"].sort(),
    );
  });

  it("refuses identical versions, detection before deploy, and future times", () => {
    expect(fieldErrors({ ...valid, previousVersion: "v2.5.0" }).previousVersion?.[0]).toMatch(/differ/);
    expect(fieldErrors({ ...valid, detectedAt: iso(60) }).detectedAt?.[0]).toMatch(/before the deploy/);
    expect(fieldErrors({ ...valid, deployedAt: "2999-01-01T00:00:00Z", detectedAt: "2999-01-01T00:00:00Z" }).deployedAt?.[0]).toMatch(
      /future/,
    );
  });

  it("refuses versions with spaces or shell characters", () => {
    expect(fieldErrors({ ...valid, badVersion: "v2; rm -rf /" }).badVersion).toBeDefined();
  });
});

describe("incidentFiltersSchema", () => {
  it("drops unknown values instead of failing the page", () => {
    expect(incidentFiltersSchema.parse({ severity: "SEV9", page: "-3", status: "nope" })).toEqual({
      page: 1,
      severity: undefined,
      status: undefined,
      service: undefined,
      q: undefined,
    });
  });
});

describe("updateImpactSchema", () => {
  const parse = (figure: unknown) =>
    updateImpactSchema.safeParse({ incidentId: "inc_1", version: 1, usersAffected: "120", supportTickets: figure });

  it("reads blank, whitespace, null and a missing figure as not recorded (null), never 0", () => {
    for (const blank of ["", "   ", null, undefined]) {
      const r = parse(blank);
      expect(r.success && r.data.supportTickets).toBeNull();
    }
    const r = updateImpactSchema.safeParse({ incidentId: "inc_1", version: 1, usersAffected: "120" });
    expect(r.success && r.data).toMatchObject({ usersAffected: 120, supportTickets: null, complaints: null, failedTransactions: null });
  });

  it("keeps a real 0 as 0 and refuses what is not a whole count", () => {
    const zero = parse("0");
    expect(zero.success && zero.data.supportTickets).toBe(0);
    expect(parse(" 7 ").success && (parse(" 7 ") as { data: { supportTickets: number } }).data.supportTickets).toBe(7);
    for (const bad of ["-1", "1.5", "lots", true]) expect(parse(bad).success).toBe(false);
  });
});
