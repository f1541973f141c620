import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FieldCipher, generateKey, parseKey } from "../../core/privacy/cipher.ts";
import { findPhones, scanPhones } from "../../core/privacy/detect.ts";
import { maskPhone } from "../../core/privacy/mask.ts";
import { sealContact } from "../../core/privacy/seal.ts";

describe("field cipher", () => {
  const cipher = new FieldCipher(randomBytes(32));

  it("round-trips and never repeats a ciphertext", () => {
    const a = cipher.encrypt("13812345678");
    const b = cipher.encrypt("13812345678");
    expect(a).not.toBe(b);
    expect(a).not.toContain("13812345678");
    expect(cipher.decrypt(a)).toBe("13812345678");
  });

  it("refuses a tampered ciphertext", () => {
    const sealed = cipher.encrypt("13812345678");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString("base64url");
    expect(() => cipher.decrypt(parts.join("."))).toThrow();
  });

  it("refuses a ciphertext made with another key", () => {
    const other = new FieldCipher(randomBytes(32));
    expect(() => other.decrypt(cipher.encrypt("13812345678"))).toThrow();
  });

  it("hashes the same number written differently to the same lookup key", () => {
    expect(cipher.lookupHash("+86 138-1234-5678")).toBe(cipher.lookupHash("13812345678"));
    expect(cipher.lookupHash("13812345679")).not.toBe(cipher.lookupHash("13812345678"));
  });

  it("parses 32-byte keys in hex and base64 and names the problem otherwise", () => {
    expect(parseKey("ab".repeat(32))).toHaveLength(32);
    expect(parseKey(generateKey())).toHaveLength(32);
    expect(() => parseKey("short")).toThrow(/CLOSELOOP_SECRET_KEY must be 32 bytes/);
  });
});

describe("masking", () => {
  it.each([
    ["13812345678", "138****5678"],
    ["+86 138 1234 5678", "138****5678"],
    ["010-87654321", "010****4321"],
    ["12345", "***45"],
  ])("%s -> %s", (raw, masked) => expect(maskPhone(raw)).toBe(masked));

  it("seals a contact with ciphertext, mask and hash only", () => {
    const cipher = new FieldCipher(randomBytes(32));
    const sealed = sealContact(cipher, "13912345678");
    expect(sealed.masked).toBe("139****5678");
    expect(JSON.stringify(sealed)).not.toContain("13912345678");
  });
});

describe("phone detection in free text", () => {
  it("masks mobiles, spaced and dashed forms, +86 and landlines", () => {
    const text = "请回电 13812345678 或 139 1234 5678，座机 021-66668888，+86 13712345678";
    const scan = scanPhones(text);
    expect(scan.phones).toHaveLength(4);
    expect(scan.text).not.toMatch(/\d{7,}/);
    expect(scan.text).toContain("138****5678");
    expect(scan.text).toContain("021****8888");
  });

  it("leaves order numbers and other long digit runs alone", () => {
    expect(findPhones("订单号 202611180001234 已发货")).toEqual([]);
    expect(findPhones("order 13812345678901")).toEqual([]);
    expect(findPhones("型号 X200，价格 1999 元")).toEqual([]);
  });
});
