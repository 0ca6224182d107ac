export { answerRequest, failure, RunningRequests, type AnswerOptions, type MethodHandler, type MethodHandlers } from './answer';
export { PageEndpoint, type PageEndpointOptions } from './PageEndpoint';
export { ReadyGate } from './readyGate';
