import * as assert from 'node:assert/strict';
import { ConversationStore } from '../../../src/core/chat';
import type { Store } from '../../../src/core/store/Store';
import { chatImageSchema, chatMethods, CONVERSATION_IMAGE_BYTES } from '../../../src/protocol/chat';
import { PNG_1X1 } from '../../emulators/images';
import { useTempStore } from '../helpers/tempStore';

describe('chat images: the protocol\'s allow-list and the conversation\'s bound', () => {
  const temp = useTempStore();
  let store: Store;
  let user: string;
  beforeEach(async () => {
    store = temp.store;
    user = await store.write((r) => r.users.ensureLocalUser().id);
  });

  it('takes base64 data: URLs of PNG, JPEG, GIF and WebP only', () => {
    for (const type of ['png', 'jpeg', 'gif', 'webp']) assert.equal(chatImageSchema.safeParse({ dataUrl: `data:image/${type};base64,${PNG_1X1}` }).success, true, type);
    for (const bad of [`data:image/svg+xml;base64,${PNG_1X1}`, `data:text/html;base64,${PNG_1X1}`, `data:image/png,${PNG_1X1}`, 'https://example.com/a.png', `data:image/png;base64,${PNG_1X1}"><script>`]) {
      assert.equal(chatImageSchema.safeParse({ dataUrl: bad }).success, false, bad);
    }
  });

  it('refuses a chat.send with more than four images or one over 3.75 MB', () => {
    const params = chatMethods['chat.send'].params;
    const image = { dataUrl: `data:image/png;base64,${PNG_1X1}` };
    assert.equal(params.safeParse({ turnId: 't', groupId: 'g', prompt: '', images: [image, image, image, image] }).success, true);
    assert.equal(params.safeParse({ turnId: 't', groupId: 'g', prompt: '', images: [image, image, image, image, image] }).success, false);
    const big = { dataUrl: `data:image/png;base64,${Buffer.alloc(3_932_161).toString('base64')}` };
    assert.equal(params.safeParse({ turnId: 't', groupId: 'g', prompt: 'x', images: [big] }).success, false);
  });

  it('keeps a turn\'s images across a reopen of the file and gives them back with the history', async () => {
    const chats = new ConversationStore(store, user);
    const c = await chats.create('Look', 'configuration:x');
    await chats.append(c.id, { role: 'user', content: 'Look', groupId: 'configuration:x', images: [{ mimeType: 'image/png', data: PNG_1X1 }] });
    store = await temp.reopen();
    const reopened = new ConversationStore(store, user);
    assert.deepEqual(reopened.history(c.id), [{ role: 'user', content: 'Look', images: [{ mimeType: 'image/png', data: PNG_1X1 }] }]);
  });

  it('keeps at most 20 MB of images in one conversation, and says to start a new one', async () => {
    const chats = new ConversationStore(store, user);
    const c = await chats.create('Look', 'configuration:x');
    const image = { mimeType: 'image/png', data: 'A'.repeat(5_000_000) };
    for (let i = 0; i < 4; i++) await chats.append(c.id, { role: 'user', content: String(i), groupId: 'configuration:x', images: [image] });
    assert.equal(chats.imageRoom(c.id, [image]), false);
    assert.ok(CONVERSATION_IMAGE_BYTES < 25_000_000);
    await assert.rejects(chats.append(c.id, { role: 'user', content: 'five', groupId: 'configuration:x', images: [image] }), /one conversation keeps at most 20 MB\. Start a new conversation/);
    assert.equal(chats.messages(c.id).length, 4);
    // Text alone still goes on.
    await chats.append(c.id, { role: 'user', content: 'no image', groupId: 'configuration:x' });
  });
});
