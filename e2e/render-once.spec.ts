// One click renders the incident page once: the action's own response carries the re-rendered page
// (revalidatePath), and neither the component nor the live event of that same change asks the
// server for it again.
import { expect, type Request, test } from "@playwright/test";
import { seed, signIn, USERS } from "./support";

test("saving the user impact renders the incident page once", async ({ page }) => {
  const { incident } = seed("incident", { title: "Render once e2e" });
  await signIn(page, USERS.responder.email);
  await page.goto(`/incidents/${incident.number}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Render once e2e");
  // The live channel is connected (so its event for this change does arrive) before counting.
  await expect(page.getByTestId("presence").getByRole("status")).toHaveText("Live");

  const renders: string[] = [];
  const count = (request: Request) => {
    const headers = request.headers();
    if (!new URL(request.url()).pathname.startsWith(`/incidents/${incident.number}`)) return;
    if (headers["next-action"]) renders.push("action");
    else if (headers.rsc === "1" && !headers["next-router-prefetch"]) renders.push("refresh");
  };
  page.on("request", count);

  await page.getByRole("button", { name: "Edit impact" }).click();
  const form = page.getByRole("form", { name: "Edit user impact" });
  await form.getByLabel("Users affected").fill("1200");
  await form.getByRole("button", { name: "Save impact" }).click();
  await expect(page.getByRole("list", { name: "Incident timeline" })).toContainText(
    "updated user impact: users affected not recorded → 1,200",
  );
  // Long enough for the live event of this change (and any refresh it would cause) to have come.
  await page.waitForTimeout(2_000);
  page.off("request", count);
  expect(renders).toEqual(["action"]);
});
