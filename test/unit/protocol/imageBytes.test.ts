import * as assert from 'node:assert/strict';
import { imageTypeMismatch, imageTypeName, imageTypeOfBytes } from '../../../src/protocol/imageBytes';
import { PNG_1X1 } from '../../emulators/images';

const b64 = (bytes: readonly number[] | string): string => Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Uint8Array.from(bytes)).toString('base64');

/** The first bytes of each format as their specifications write them, followed by some of the image. */
const JPEG = b64([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const GIF87 = b64('GIF87a\x01\x00\x01\x00\x80\x00\x00');
const GIF89 = b64('GIF89a\x01\x00\x01\x00\x80\x00\x00');
const WEBP = b64('RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00');

describe('an image\'s type from its bytes (the signatures of PNG, JPEG, GIF and WebP)', () => {
  it('tells PNG, JPEG, GIF (87a and 89a) and WebP by their first bytes', () => {
    assert.equal(imageTypeOfBytes(PNG_1X1), 'image/png');
    assert.equal(imageTypeOfBytes(JPEG), 'image/jpeg');
    assert.equal(imageTypeOfBytes(GIF87), 'image/gif');
    assert.equal(imageTypeOfBytes(GIF89), 'image/gif');
    assert.equal(imageTypeOfBytes(WEBP), 'image/webp');
  });

  it('says "none of them" for other bytes, a RIFF that is not WebP, too few bytes, and text that is not base64', () => {
    assert.equal(imageTypeOfBytes(b64('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
    assert.equal(imageTypeOfBytes(b64('RIFF\x1a\x00\x00\x00WAVEfmt ')), undefined);
    assert.equal(imageTypeOfBytes(b64([0x89, 0x50, 0x4e])), undefined);
    assert.equal(imageTypeOfBytes(''), undefined);
    assert.equal(imageTypeOfBytes('!!not base64!!'), undefined);
  });

  it('finds the first image whose bytes are not the type it says, and leaves types it has no signature for alone', () => {
    assert.equal(imageTypeMismatch([{ mimeType: 'image/png', data: PNG_1X1 }, { mimeType: 'image/jpeg', data: JPEG }]), undefined);
    assert.deepEqual(imageTypeMismatch([{ mimeType: 'image/png', data: PNG_1X1 }, { mimeType: 'image/png', data: JPEG }]), { position: 2, declared: 'image/png', actual: 'image/jpeg' });
    assert.deepEqual(imageTypeMismatch([{ mimeType: 'image/gif', data: b64('hello') }]), { position: 1, declared: 'image/gif', actual: undefined });
    assert.equal(imageTypeMismatch([{ mimeType: 'image/heic', data: PNG_1X1 }]), undefined);
    assert.deepEqual([imageTypeName('image/webp'), imageTypeName('image/heic')], ['WebP', 'image/heic']);
  });
});
