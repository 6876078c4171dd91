// Next 16's proxy (formerly middleware): every page but sign-in needs a session. Pages and
// actions still check the session and the role themselves; this is only the first gate.
import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";

const { auth } = NextAuth(authConfig);

export default auth;

export const config = {
  matcher: ["/((?!api/auth|api/health|api/v1|_next/static|_next/image|favicon.ico|fonts/|sign-in).*)"],
};
