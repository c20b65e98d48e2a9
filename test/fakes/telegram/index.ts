// A fake Telegram Bot API server for running the real grammY bot in tests.
export { checkTelegramHtml } from "./html.ts";
export { type FormPart, parseMultipart } from "./multipart.ts";
export {
  type ErrorReply,
  type FakeTelegram,
  type FakeUser,
  type Fault,
  type LostReply,
  type SentCall,
  startFakeTelegram,
  type UploadedFile,
} from "./server.ts";
