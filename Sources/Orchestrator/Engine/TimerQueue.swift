/// Every timeout and retry delay of a run, kept in one heap behind one armed timer. A timer
/// per attempt (a DispatchWorkItem each) cost more than the rest of the engine together;
/// here an attempt costs a heap push, and the single timer is re-armed only when a new
/// entry is due before the armed one.
struct TimerQueue {
    enum Purpose: Equatable {
        case timeout(attempt: Int, limit: Duration)
        case retry(attempt: Int)
    }

    struct Entry {
        var due: ContinuousClock.Instant
        var step: Int
        var purpose: Purpose
    }

    private var heap: [Entry] = []
    private var armed: (due: ContinuousClock.Instant, timer: Deadline)?
    private let fire: @Sendable () -> Void

    /// `fire` is called (on some thread) when the earliest entry is due.
    init(fire: @escaping @Sendable () -> Void) { self.fire = fire }

    mutating func schedule(after delay: Duration, step: Int, _ purpose: Purpose) {
        let entry = Entry(due: .now + delay, step: step, purpose: purpose)
        heap.append(entry)
        siftUp(heap.count - 1)
        if armed.map({ entry.due < $0.due }) ?? true { arm(entry.due) }
    }

    /// Removes and returns the entries due by now, and arms the timer for the next one.
    mutating func takeDue() -> [Entry] {
        armed = nil
        let now = ContinuousClock.now
        var due: [Entry] = []
        while let first = heap.first, first.due <= now {
            due.append(first)
            removeFirst()
        }
        if let next = heap.first { arm(next.due) }
        return due
    }

    var count: Int { heap.count }

    /// Drops the entries `isStale` picks (timeouts of attempts that already ended) and rebuilds
    /// the heap. The timer stays armed; if it was for a dropped entry it fires and finds nothing.
    mutating func removeAll(where isStale: (Entry) -> Bool) {
        heap.removeAll(where: isStale)
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    mutating func cancelAll() {
        armed?.timer.cancel()
        armed = nil
        heap.removeAll()
    }

    private mutating func arm(_ due: ContinuousClock.Instant) {
        armed?.timer.cancel()
        armed = (due, Deadline(after: max(.zero, due - .now), fire))
    }

    private mutating func removeFirst() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        siftDown(0)
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].due < heap[smallest].due { smallest = left }
            if right < heap.count, heap[right].due < heap[smallest].due { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].due < heap[parent].due else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }
}
