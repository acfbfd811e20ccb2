import Cassettes
import Foundation
import Providers

/// A chat model whose every call lands in the ledger: each call gets a deadline, and comes
/// back with its `ModelCall` (tokens, cost from the price table, latency) whether it
/// answered or failed, so a timed-out call still shows what it cost in time.
///
/// Latency is the recorded one when a cassette replays the exchange on a virtual clock
/// (`ReplayLatency.virtual`), so a replay gives the same ledger as the recording; otherwise
/// the client's measured latency.
public struct MeteredModel: Sendable {
    public let model: any ChatModel
    public let prices: PriceTable?
    /// How long one call may take before it fails with `.timeout`.
    public var timeout: Duration

    public init(_ model: any ChatModel, prices: PriceTable? = nil, timeout: Duration = .seconds(120)) {
        self.model = model
        self.prices = prices
        self.timeout = timeout
    }

    /// One call's outcome and its ledger entry.
    public struct Exchange: Sendable {
        public var result: Result<ChatResponse, ProviderError>
        public var call: ModelCall
    }

    public func complete(_ request: ChatRequest, role: ModelRole) async -> Exchange {
        let started = ContinuousClock.now
        let (result, virtualMs) = await VirtualClock.measure { await completeWithinDeadline(request) }
        let wallMs = started.duration(to: .now).milliseconds
        let response = try? result.get()
        let latency = virtualMs > 0 ? virtualMs : response?.latency.totalMilliseconds ?? wallMs
        let name = request.model ?? model.model
        var call = ModelCall(role: role, provider: model.provider, model: name, latencyMilliseconds: latency)
        if let usage = response?.usage {
            call.inputTokens = usage.inputTokens
            call.outputTokens = usage.outputTokens
            call.cachedInputTokens = usage.cachedInputTokens
        }
        if let response {
            call.costUSD = prices?.cost(provider: model.provider, model: name, usage: response.usage, computeSeconds: latency / 1000)
        }
        return Exchange(result: result, call: call)
    }

    private func completeWithinDeadline(_ request: ChatRequest) async -> Result<ChatResponse, ProviderError> {
        let model = self.model
        let timeout = self.timeout
        return await withTaskGroup(of: Result<ChatResponse, ProviderError>?.self) { group in
            group.addTask {
                do {
                    return .success(try await model.complete(request))
                } catch let error as ProviderError {
                    return .failure(error)
                } catch is CancellationError {
                    return nil
                } catch {
                    return .failure(ProviderError(.transport, provider: model.provider, "\(error)"))
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if Task.isCancelled { return nil }
                return .failure(ProviderError(.timeout, provider: model.provider,
                                              "\(model.model) gave no answer within \((timeout.milliseconds / 1000).formatted()) s"))
            }
            var outcome: Result<ChatResponse, ProviderError>?
            while outcome == nil, let next = await group.next() {
                outcome = next
            }
            group.cancelAll()
            return outcome ?? .failure(ProviderError(.cancelled, provider: model.provider, "the call was cancelled"))
        }
    }
}
