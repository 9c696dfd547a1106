#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace fd::demo {

// xoshiro256** seeded through splitmix64, with our own samplers: the std distributions give
// different sequences across standard library versions, and the demo must not change with them.
class Rng
{
public:
    explicit Rng(std::uint64_t seed)
    {
        for (auto &word : m_state)
            word = splitMix(seed);
    }

    // A generator of its own for each kind of data, so that changing one leaves the others alone.
    Rng(std::uint64_t seed, std::string_view stream) : Rng(seed ^ hashName(stream)) {}

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double from, double to) { return from + (to - from) * uniform(); }
    std::int64_t uniformInt(std::int64_t from, std::int64_t to) // [from, to)
    {
        return from + static_cast<std::int64_t>(uniform() * static_cast<double>(to - from));
    }
    bool chance(double p) { return uniform() < p; }

    double normal()
    {
        // Box-Muller; 1 - u keeps the logarithm finite.
        const double u = 1.0 - uniform();
        const double v = uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }

    double logNormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

    std::int64_t poisson(double mean)
    {
        if (mean <= 0)
            return 0;
        if (mean > 500) {
            const double x = std::round(mean + std::sqrt(mean) * normal());
            return x < 0 ? 0 : static_cast<std::int64_t>(x);
        }
        // Knuth: count uniforms until their product drops below e^-mean.
        const double limit = std::exp(-mean);
        std::int64_t k = 0;
        double product = uniform();
        while (product > limit) {
            ++k;
            product *= uniform();
        }
        return k;
    }

    std::string hex(int chars)
    {
        static constexpr char digits[] = "0123456789abcdef";
        std::string out(static_cast<std::size_t>(chars), '0');
        std::uint64_t bits = 0;
        for (int i = 0; i < chars; ++i) {
            if (i % 16 == 0)
                bits = next();
            out[static_cast<std::size_t>(i)] = digits[bits & 0xf];
            bits >>= 4;
        }
        return out;
    }

    template <class Container>
    const auto &pick(const Container &items)
    {
        return items[static_cast<std::size_t>(uniformInt(0, static_cast<std::int64_t>(std::size(items))))];
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitMix(std::uint64_t &x)
    {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    static std::uint64_t hashName(std::string_view name) // FNV-1a
    {
        std::uint64_t h = 0xcbf29ce484222325ULL;
        for (const char c : name)
            h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
        return h;
    }

    std::uint64_t m_state[4] = {};
};

} // namespace fd::demo
