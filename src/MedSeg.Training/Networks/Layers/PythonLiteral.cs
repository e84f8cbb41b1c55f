using System.Globalization;
using System.Text;

namespace MedSeg.Training.Networks.Layers;

/// <summary>
/// Parses the Python literals MONAI constructor arguments are written in (as in the fixtures' <c>__metadata__</c>):
/// <c>64</c>, <c>0.1</c>, <c>True</c>, <c>None</c>, <c>'instance'</c>, <c>(2, 2, 2, 2)</c>, <c>[1, 2]</c>,
/// <c>("LeakyReLU", {"negative_slope": 0.1, "inplace": True})</c>.
/// Results: <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, null, <see cref="string"/>,
/// <see cref="List{T}"/> of object (tuples and lists) and <see cref="Dictionary{TKey,TValue}"/> string → object.
/// A bare word that is not True/False/None is read as a string, so <c>instance</c> equals <c>'instance'</c>.
/// </summary>
public static class PythonLiteral
{
    public static object? Parse(string text)
    {
        var reader = new Reader(text);
        var value = reader.ReadValue();
        reader.SkipSpace();
        if (!reader.AtEnd) throw reader.Error("unexpected trailing text");
        return value;
    }

    private sealed class Reader(string text)
    {
        private int _pos;

        public bool AtEnd => _pos >= text.Length;

        public FormatException Error(string problem) =>
            new($"Cannot parse Python literal \"{text}\": {problem} at position {_pos}.");

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        public object? ReadValue()
        {
            SkipSpace();
            if (AtEnd) throw Error("value expected");
            char c = text[_pos];
            return c switch
            {
                '(' => ReadSequence(')'),
                '[' => ReadSequence(']'),
                '{' => ReadDictionary(),
                '\'' or '"' => ReadString(),
                _ when c == '-' || c == '+' || c == '.' || char.IsDigit(c) => ReadNumber(),
                _ => ReadWord(),
            };
        }

        private List<object?> ReadSequence(char close)
        {
            _pos++;
            var items = new List<object?>();
            while (true)
            {
                SkipSpace();
                if (AtEnd) throw Error($"missing '{close}'");
                if (text[_pos] == close) { _pos++; return items; }
                items.Add(ReadValue());
                SkipSpace();
                if (AtEnd) throw Error($"missing '{close}'");
                if (text[_pos] == ',') _pos++;
                else if (text[_pos] != close) throw Error($"',' or '{close}' expected");
            }
        }

        private Dictionary<string, object?> ReadDictionary()
        {
            _pos++;
            var items = new Dictionary<string, object?>();
            while (true)
            {
                SkipSpace();
                if (AtEnd) throw Error("missing '}'");
                if (text[_pos] == '}') { _pos++; return items; }
                if (ReadValue() is not string key) throw Error("dictionary keys must be strings");
                SkipSpace();
                if (AtEnd || text[_pos] != ':') throw Error("':' expected");
                _pos++;
                items[key] = ReadValue();
                SkipSpace();
                if (AtEnd) throw Error("missing '}'");
                if (text[_pos] == ',') _pos++;
                else if (text[_pos] != '}') throw Error("',' or '}' expected");
            }
        }

        private string ReadString()
        {
            char quote = text[_pos++];
            var result = new StringBuilder();
            while (!AtEnd && text[_pos] != quote)
            {
                if (text[_pos] == '\\' && _pos + 1 < text.Length) _pos++;
                result.Append(text[_pos++]);
            }
            if (AtEnd) throw Error("unterminated string");
            _pos++;
            return result.ToString();
        }

        private object ReadNumber()
        {
            int start = _pos;
            while (!AtEnd && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '.' or '-' or '+' or '_')) _pos++;
            string token = text[start.._pos].Replace("_", "");
            if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer)) return integer;
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double real)) return real;
            _pos = start;
            throw Error($"'{token}' is not a number");
        }

        private object? ReadWord()
        {
            int start = _pos;
            while (!AtEnd && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.')) _pos++;
            if (start == _pos) throw Error($"unexpected '{text[_pos]}'");
            string word = text[start.._pos];
            return word switch
            {
                "True" => true,
                "False" => false,
                "None" => null,
                _ => word,
            };
        }
    }
}
