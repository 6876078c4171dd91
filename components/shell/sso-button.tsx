import { Button } from "@/components/ui/button";
import { signInWithSsoAction } from "@/lib/auth/actions";

/** Starts single sign-on: a plain form, so it works before any script has loaded. */
export function SsoButton({ name, callbackUrl }: { name: string; callbackUrl?: string }) {
  return (
    <form action={signInWithSsoAction}>
      <input type="hidden" name="callbackUrl" value={callbackUrl ?? ""} />
      <Button type="submit" className="w-full">
        Sign in with {name}
      </Button>
    </form>
  );
}
