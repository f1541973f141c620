import type { FieldCipher, SealedContact } from "./cipher.ts";
import { scanTypedText } from "./detect.ts";
import { maskPhone } from "./mask.ts";

export function sealContact(cipher: FieldCipher, phone: string): SealedContact {
  return { cipher: cipher.encrypt(phone), masked: maskPhone(phone), hash: cipher.lookupHash(phone) };
}

export interface SealedText {
  readonly text: string;
  readonly contacts: readonly SealedContact[];
}

/** Masks every phone number in free text and returns the originals sealed. */
export function sealText(cipher: FieldCipher, text: string): SealedText {
  const scan = scanTypedText(text);
  return { text: scan.text, contacts: scan.phones.map((p) => sealContact(cipher, p)) };
}
