/**
 * @module The `auth` and `auth:refresh` frames' payload: a bearer token.
 */
import { z } from "zod";

/** `{token}`: a JWT, at most 8 KiB. */
export const tokenPayloadSchema = z.object({ token: z.string().min(1).max(8192) });
