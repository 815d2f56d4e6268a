// Expected failures a handler or hook throws on purpose (a 403, a 404…): the app's error handler shows their message.

/** A refusal with its HTTP status and the sentence the person reads; anything else thrown is an unexpected 500. */
export class HttpProblem extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}
