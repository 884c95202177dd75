import { alertEmailBody, alertEmailSubject, alertMessage } from '../../src/notifiers/messages';
import { alert } from './support';

describe('alert messages', () => {
  it('says who is up, where, and with which song', () => {
    expect(alertMessage(alert())).toBe("You're up at The Blue Room: take the stage for 'Dancing Queen'!");
    expect(alertMessage(alert({ songTitle: undefined }))).toBe("You're up at The Blue Room: take the stage!");
  });

  it('counts turns away, singular for one', () => {
    expect(alertMessage(alert({ kind: 'turns-away', turnsAway: 2 }))).toBe("You're 2 turns away at The Blue Room — get ready.");
    expect(alertMessage(alert({ kind: 'turns-away', turnsAway: 1 }))).toBe("You're 1 turn away at The Blue Room — get ready.");
  });

  it('email: greeting in the body; subject ASCII-only, one line, under 100 characters', () => {
    expect(alertEmailBody(alert())).toBe("Hi Amy,\n\nYou're up at The Blue Room: take the stage for 'Dancing Queen'!");
    expect(alertEmailSubject(alert())).toBe("You're up at The Blue Room");
    expect(alertEmailSubject(alert({ kind: 'turns-away', turnsAway: 3 }))).toBe('3 turns away at The Blue Room');
    expect(alertEmailSubject(alert({ venue: 'Café Ünter — Bar\n♪' }))).toBe("You're up at Cafe Unter - Bar ?");
    const long = alertEmailSubject(alert({ venue: 'V'.repeat(200) }));
    expect(long.length).toBeLessThan(100);
    expect(long.endsWith('...')).toBe(true);
  });
});
