/** The vendor of every model Model Manager contributes (package.json languageModelChatProviders). */
export const CHAT_VENDOR = 'model-manager';

/** The sticky `@models` participant (package.json chatParticipants). */
export const PARTICIPANT_ID = 'modelManager.models';
