/**
 * Lambda functions as targets: {@link io.busbar.targets.lambda.LambdaTargetProvider} answers for
 * {@code arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]} when a Lambda endpoint is configured, and
 * invokes the function asynchronously through the Lambda Invoke API ({@code X-Amz-Invocation-Type: Event}) with
 * the JDK's non-blocking {@link java.net.http.HttpClient}. Functions registered in the bus itself are served by the
 * bus's built-in provider, which is asked first.
 *
 * <p>Everything but the provider is package-private.
 */
package io.busbar.targets.lambda;
