/// A rectangle of cells.
public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// The rectangle shrunk by `amount` on every side.
    public func inset(_ amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    public enum Direction: Sendable { case horizontal, vertical }

    /// How much of a split one part takes.
    public enum Constraint: Sendable, Hashable {
        case fixed(Int)
        case percent(Int)
        /// Shares what fixed and percent parts leave, equally with the other fill parts.
        case fill
    }

    /// Splits along `direction`: fixed and percent parts first (clipped to what is left), then fill
    /// parts share the rest; the last fill part takes the remainder of the division.
    public func split(_ direction: Direction, _ constraints: [Constraint]) -> [Rect] {
        let total = direction == .horizontal ? width : height
        var sizes = [Int](repeating: 0, count: constraints.count)
        var left = total
        for (index, constraint) in constraints.enumerated() {
            switch constraint {
            case .fixed(let size): sizes[index] = min(max(0, size), left)
            case .percent(let share): sizes[index] = min(total * max(0, share) / 100, left)
            case .fill: continue
            }
            left -= sizes[index]
        }
        let fills = constraints.indices.filter { constraints[$0] == .fill }
        for (order, index) in fills.enumerated() {
            sizes[index] = left / fills.count + (order == fills.count - 1 ? left % fills.count : 0)
        }
        var offset = direction == .horizontal ? x : y
        return sizes.map { size in
            defer { offset += size }
            return direction == .horizontal
                ? Rect(x: offset, y: y, width: size, height: height)
                : Rect(x: x, y: offset, width: width, height: size)
        }
    }
}
